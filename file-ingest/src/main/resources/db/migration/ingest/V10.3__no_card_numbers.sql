-- No full card number in a registry's texts, as on card payments: the importer masks every one before COPY
-- (io.kopek.pan.Pans), and these checks are the last line of defence if something slipped past it.
--
-- The rule is Pans's, in SQL: digits run into groups at separators (whitespace, no-break spaces, dots, dashes,
-- underscores, slashes, alone or in runs); a card number is a stretch of whole groups of 13-19 digits that passes
-- the Luhn check; a UUID is left out. A change in Pans is a change here.

create function ingest_luhn(digits text) returns boolean
    language sql immutable strict parallel safe
as $$
select sum(case when (length(digits) - i) % 2 = 1
                then substr(digits, i, 1)::int * 2 - case when substr(digits, i, 1)::int > 4 then 9 else 0 end
                else substr(digits, i, 1)::int end) % 10 = 0
from generate_series(1, length(digits)) i
$$;

create function ingest_holds_pan(value text) returns boolean
    language plpgsql immutable strict parallel safe
as $$
declare
    run    text;
    groups text[];
    digits text;
begin
    -- a UUID is an id, never a card number: left out, and it parts the digit groups around it (as in Pans)
    value := regexp_replace(value,
        '(?<![0-9A-Za-z])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Za-z])',
        'x', 'g');
    -- most values: fewer than 13 digits joined by separators
    if value !~ '[0-9](?:[ \t\n\r\f\v\u00a0\u2007\u202f._/-]*[0-9]){12}' then
        return false;
    end if;
    for run in select m[1] from regexp_matches(value, '([0-9]+(?:[ \t\n\r\f\v\u00a0\u2007\u202f._/-]+[0-9]+)*)', 'g') m
    loop
        groups := regexp_split_to_array(run, '[ \t\n\r\f\v\u00a0\u2007\u202f._/-]+');
        for g in 1 .. cardinality(groups) loop
            digits := '';
            for h in g .. cardinality(groups) loop
                digits := digits || groups[h];
                exit when length(digits) > 19;
                if length(digits) >= 13 and ingest_luhn(digits) then
                    return true;
                end if;
            end loop;
        end loop;
    end loop;
    return false;
end
$$;

-- NOT VALID: lines imported before are not re-read (the rule they were masked by was narrower); every line from
-- now on is checked, COPY included.
alter table registry_line
    add constraint registry_line_no_card_number check (
        not ingest_holds_pan(provider_payment_id)
        and not ingest_holds_pan(order_number)
        and not ingest_holds_pan(card_mask)) not valid;

alter table registry_line_rejected
    add constraint registry_line_rejected_no_card_number check (not ingest_holds_pan(reason)) not valid;

alter table registry_file
    add constraint registry_file_no_card_number check (not ingest_holds_pan(reason)) not valid;

-- Holds placed, and holds captured, several to a call: the API's group commit (io.kopek.api.HoldBatches) runs the
-- concurrent requests of one kind in one transaction, and this makes their database work one round trip instead of
-- one per request. Each item is the same call of hold_place or hold_capture (V6.3) as a single request makes, in a
-- block of its own: a refusal undoes that item alone (the block is a subtransaction) and comes back as its outcome,
-- so one request's refusal never costs another's work. Only the refusals of the domain and of the ledger are
-- caught (their SQLSTATEs are listed in V6.3 and V2.3); anything else fails the call, and the caller retries the
-- items one by one.

create type hold_outcome as (
    item            integer,
    hold            hold,
    refusal_state   text,
    refusal_message text,
    refusal_detail  text
);

-- Places the holds of invoices the caller has locked and checked against their rules, item i from the i-th element
-- of each array.
create function hold_place_each(p_invoices bigint[], p_customers bigint[], p_debits text[], p_credits text[],
                                p_amounts bigint[], p_currencies text[], p_expires_at timestamptz[],
                                p_credit_limits bigint[])
returns setof hold_outcome language plpgsql as $$
declare
    o hold_outcome;
begin
    for i in 1 .. coalesce(array_length(p_invoices, 1), 0) loop
        o := row(i, null, null, null, null);
        begin
            o.hold := hold_place(p_invoices[i], p_customers[i], p_debits[i], p_credits[i], p_amounts[i],
                                 p_currencies[i], p_expires_at[i], p_credit_limits[i], null, null);
        exception
            when sqlstate 'KL001' or sqlstate 'KL002' or sqlstate 'KL003' or sqlstate 'KL004'
              or sqlstate 'KB404' or sqlstate 'KB409' or sqlstate 'KB422' then
                get stacked diagnostics o.refusal_state = returned_sqlstate, o.refusal_message = message_text,
                                        o.refusal_detail = pg_exception_detail;
        end;
        return next o;
    end loop;
end $$;

-- Captures holds (p_amounts[i] null: all of it), item i posted as ledger transaction p_transactions[i]. The
-- invoices of all the holds are locked first, in id order: each capture locks its invoice first (V6.3), and two
-- batches taking theirs in item order could wait on each other. Each is found by its hold's key, one by one: a join
-- of the holds planned once, while the table was small, stays a scan of the whole table as it grows.
create function hold_capture_each(p_holds bigint[], p_amounts bigint[], p_currencies text[], p_transactions uuid[],
                                  p_now timestamptz, p_source text)
returns setof hold_outcome language plpgsql as $$
declare
    o hold_outcome;
    v_invoice bigint;
begin
    for v_invoice in select distinct (select h.invoice_id from hold h where h.id = x) from unnest(p_holds) x
                     order by 1 loop
        perform 1 from invoice where id = v_invoice for update;
    end loop;
    for i in 1 .. coalesce(array_length(p_holds, 1), 0) loop
        o := row(i, null, null, null, null);
        begin
            o.hold := hold_capture(p_holds[i], p_amounts[i], p_currencies[i], p_transactions[i], p_now, p_source);
        exception
            when sqlstate 'KL001' or sqlstate 'KL002' or sqlstate 'KL003' or sqlstate 'KL004'
              or sqlstate 'KB404' or sqlstate 'KB409' or sqlstate 'KB422' then
                get stacked diagnostics o.refusal_state = returned_sqlstate, o.refusal_message = message_text,
                                        o.refusal_detail = pg_exception_detail;
        end;
        return next o;
    end loop;
end $$;

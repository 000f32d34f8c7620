-- The ledger's pending-transfer operations as database functions, called by billing's hold functions in the same
-- round trip. Their posting rules are the same as Ledger's Java posting (io.kopek.ledger.Ledger): both copies
-- live in this module and are held to one behaviour by LedgerTest and the billing property test.
--
-- Refusals carry SQLSTATEs of our own:
--   KL001  insufficient funds; detail: '<available> <requested> <currency> <account code>' (minor units)
--   KL002  unknown ledger account; detail: the code
--   KL003  the pending transfer is no longer pending; detail: '<status> <transfer id>' (status may be 'expired')
--   KL004  a call the ledger cannot make sense of (an IllegalArgumentException in Java)

create function ledger_insufficient(p_code text, p_available bigint, p_requested bigint, p_currency text)
returns void language plpgsql as $$
begin
    raise exception 'account % has % available, % requested', p_code,
        money_text(p_available, p_currency), money_text(p_requested, p_currency)
        using errcode = 'KL001', detail = format('%s %s %s %s', p_available, p_requested, p_currency, p_code);
end $$;

-- Reserves p_amount on the debit account for the credit account until it is posted, voided or expires; the
-- debit account may go p_credit_limit below zero. False (and nothing changed) when p_id was reserved before.
create function ledger_reserve(p_id uuid, p_debit text, p_credit text, p_amount bigint, p_currency text,
                               p_expires_at timestamptz, p_credit_limit bigint)
returns boolean language plpgsql as $$
declare
    a ledger_account;
    d ledger_account;
    c ledger_account;
    v_available bigint;
begin
    if p_amount <= 0 or p_credit_limit < 0 then
        raise exception 'a pending transfer must be positive and its credit limit not negative'
            using errcode = 'KL004';
    end if;
    -- In id order, as every posting locks accounts, so that concurrent postings cannot deadlock.
    for a in select * from ledger_account where code in (p_debit, p_credit) order by id for update loop
        if a.code = p_debit then d := a; end if;
        if a.code = p_credit then c := a; end if;
    end loop;
    if d.id is null or c.id is null then
        raise exception 'ledger account % does not exist', case when d.id is null then p_debit else p_credit end
            using errcode = 'KL002', detail = case when d.id is null then p_debit else p_credit end;
    end if;
    if d.currency <> p_currency or c.currency <> p_currency then
        raise exception 'accounts % and % are in % and %, the amount is in %', d.code, c.code, d.currency,
            c.currency, p_currency using errcode = 'KL004';
    end if;
    insert into ledger_pending_transfer (id, debit_account_id, credit_account_id, amount, currency, status,
                                         expires_at, credit_limit)
    values (p_id, d.id, c.id, p_amount, p_currency, 'pending', p_expires_at, p_credit_limit)
    on conflict (id) do nothing;
    if not found then
        return false;
    end if;
    -- Reserving lowers what a credit-normal account (a customer's balance) has available.
    if d.normal_side = 'C' and not d.allow_negative then
        v_available := d.credits_posted - d.debits_posted - d.debits_pending + p_credit_limit;
        if v_available < p_amount then
            perform ledger_insufficient(d.code, v_available, p_amount, p_currency);
        end if;
    end if;
    update ledger_account
       set debits_pending = debits_pending + case when id = d.id then p_amount else 0 end,
           credits_pending = credits_pending + case when id = c.id then p_amount else 0 end
     where id in (d.id, c.id);
    return true;
end $$;

-- The pending transfer, locked; refused unless it is still pending (and, unless p_any_time, not yet expired).
create function ledger_lock_pending(p_id uuid, p_now timestamptz, p_any_time boolean)
returns ledger_pending_transfer language plpgsql as $$
declare
    p ledger_pending_transfer;
begin
    select * into p from ledger_pending_transfer where id = p_id for update;
    if not found then
        raise exception 'no pending transfer %', p_id using errcode = 'KL004';
    end if;
    if p.status <> 'pending' then
        raise exception 'pending transfer % is %', p_id, p.status
            using errcode = 'KL003', detail = p.status || ' ' || p_id;
    end if;
    if not p_any_time and p_now >= p.expires_at then
        raise exception 'pending transfer % is expired', p_id
            using errcode = 'KL003', detail = 'expired ' || p_id;
    end if;
    return p;
end $$;

-- Posts p_amount (at most the reserved amount) of a pending transfer as ledger transaction p_transaction; the
-- rest of the reservation goes back to the debit account. Each side of the posting is held to the no-negative
-- rule as any posting is (the transfer's credit limit applies to its debit account). A transaction id posted
-- before writes no entries again.
create function ledger_post_pending(p_id uuid, p_amount bigint, p_transaction uuid, p_kind text,
                                    p_reference text, p_now timestamptz)
returns void language plpgsql as $$
declare
    p ledger_pending_transfer;
    a ledger_account;
    d ledger_account;
    c ledger_account;
    v_before bigint;
    v_fresh boolean;
begin
    p := ledger_lock_pending(p_id, p_now, false);
    if p_amount <= 0 or p_amount > p.amount then
        raise exception 'can post between % and %, asked %', money_text(1, p.currency),
            money_text(p.amount, p.currency), money_text(p_amount, p.currency) using errcode = 'KL004';
    end if;
    insert into ledger_transaction (id, kind, reference) values (p_transaction, p_kind, p_reference)
    on conflict (id) do nothing;
    v_fresh := found;
    for a in select * from ledger_account where id in (p.debit_account_id, p.credit_account_id)
             order by id for update loop
        if a.id = p.debit_account_id then d := a; end if;
        if a.id = p.credit_account_id then c := a; end if;
    end loop;
    if v_fresh then
        -- What each side has available once the reservation is returned, before the posting takes from it.
        if d.normal_side = 'C' and not d.allow_negative then
            v_before := d.credits_posted - d.debits_posted - (d.debits_pending - p.amount);
            if v_before - p_amount < -p.credit_limit then
                perform ledger_insufficient(d.code, v_before + p.credit_limit, p_amount, p.currency);
            end if;
        end if;
        if c.normal_side = 'D' and not c.allow_negative then
            v_before := c.debits_posted - c.credits_posted - (c.credits_pending - p.amount);
            if v_before - p_amount < 0 then
                perform ledger_insufficient(c.code, v_before, p_amount, p.currency);
            end if;
        end if;
        insert into ledger_entry (transaction_id, account_id, side, amount, currency)
        values (p_transaction, d.id, 'D', p_amount, p.currency),
               (p_transaction, c.id, 'C', p_amount, p.currency);
    end if;
    update ledger_account
       set debits_pending = debits_pending - case when id = d.id then p.amount else 0 end,
           credits_pending = credits_pending - case when id = c.id then p.amount else 0 end,
           debits_posted = debits_posted + case when v_fresh and id = d.id then p_amount else 0 end,
           credits_posted = credits_posted + case when v_fresh and id = c.id then p_amount else 0 end
     where id in (d.id, c.id);
    update ledger_pending_transfer
       set status = 'posted', posted_amount = p_amount, posting_transaction = p_transaction, resolved_at = p_now
     where id = p_id;
end $$;

-- Returns the whole reservation to the debit account: voided by request (refused once expired), or expired.
create function ledger_void_pending(p_id uuid, p_expired boolean, p_now timestamptz)
returns void language plpgsql as $$
declare
    p ledger_pending_transfer;
begin
    p := ledger_lock_pending(p_id, p_now, p_expired);
    update ledger_account
       set debits_pending = debits_pending - case when id = p.debit_account_id then p.amount else 0 end,
           credits_pending = credits_pending - case when id = p.credit_account_id then p.amount else 0 end
     where id in (p.debit_account_id, p.credit_account_id);
    update ledger_pending_transfer
       set status = case when p_expired then 'expired' else 'voided' end, resolved_at = p_now
     where id = p_id;
end $$;

-- Holds and the ledger's pending transfers as database functions. Each hold operation (place, capture, release,
-- expire) is one call from Holds, so a request costs one round trip instead of a dozen statements. These
-- functions are the only implementation of those operations: Java checks what a request asks against the
-- billing rules before calling them, and turns their refusals into exceptions (io.kopek.billing.Refusals).
--
-- Refusals carry SQLSTATEs of our own:
--   KL001  insufficient funds; detail: '<available> <requested> <currency> <account code>' (minor units)
--   KL002  unknown ledger account; detail: the code
--   KL003  the pending transfer is no longer pending; detail: '<status> <transfer id>' (status may be 'expired')
--   KL004  a call the ledger cannot make sense of (an IllegalArgumentException in Java)
--   KB404, KB409, KB422  a refusal of the domain: not found, conflict, invalid; detail: the problem type

-- What active holds reserve towards an invoice is summed under its lock; captured holds accumulate.
create index hold_active_invoice on hold (invoice_id) where status = 'active';

-- Amounts in refusals as Money prints them (the currencies Kopek bills in have two fraction digits).
create function money_text(p_minor bigint, p_currency text) returns text
language sql immutable as $$
    select to_char(p_minor / 100.0, 'FM999999999999999990.00') || ' ' || p_currency
$$;

create function instant_text(p_at timestamptz) returns text
language sql stable as $$
    select to_char(p_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

create function outbox_publish(p_type text, p_aggregate_type text, p_aggregate_id bigint, p_payload jsonb)
returns void language sql as $$
    insert into outbox_event (event_id, type, aggregate_type, aggregate_id, payload)
    values (gen_random_uuid(), p_type, p_aggregate_type, p_aggregate_id::text, p_payload)
$$;

-- Ledger ------------------------------------------------------------------------------------------------------

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

-- Billing ------------------------------------------------------------------------------------------------------

-- Adds a payment to the invoice (locked by the caller) and moves it to paid or partially paid (an overdue one
-- stays overdue), announcing both.
create function invoice_apply_payment(p_invoice bigint, p_payment bigint, p_amount bigint, p_method text)
returns void language plpgsql as $$
declare
    i invoice;
    v_next text;
begin
    select * into i from invoice where id = p_invoice;
    v_next := case when i.paid_amount + p_amount = i.total then 'paid'
                 when i.status = 'overdue' then 'overdue'
                 else 'partially_paid' end;
    if v_next <> i.status and i.status not in ('issued', 'partially_paid', 'overdue') then
        raise exception 'an invoice that is % cannot become %', i.status, v_next
            using errcode = 'KB409', detail = 'invalid-invoice-transition';
    end if;
    update invoice set paid_amount = paid_amount + p_amount, status = v_next, updated_at = now()
     where id = p_invoice;
    perform outbox_publish('payment.succeeded', 'payment', p_payment, jsonb_build_object(
        'paymentId', p_payment, 'invoiceId', p_invoice, 'customerId', i.customer_id, 'amount', p_amount,
        'currency', i.currency, 'method', p_method));
    if v_next <> i.status then
        perform outbox_publish('invoice.' || v_next, 'invoice', p_invoice,
            jsonb_build_object('invoiceId', p_invoice, 'number', i.number));
    end if;
end $$;

-- A hold towards an invoice the caller has locked and found to take p_amount: a pending transfer from p_debit
-- (the customer's balance, or a provider's clearing account for a card authorisation) to p_credit (the
-- receivable), and its hold.placed event.
create function hold_place(p_invoice bigint, p_customer bigint, p_debit text, p_credit text, p_amount bigint,
                           p_currency text, p_expires_at timestamptz, p_credit_limit bigint, p_provider text,
                           p_provider_payment_id text)
returns hold language plpgsql as $$
declare
    transfer uuid := gen_random_uuid();
    h hold;
begin
    perform ledger_reserve(transfer, p_debit, p_credit, p_amount, p_currency, p_expires_at, p_credit_limit);
    insert into hold (invoice_id, customer_id, source, amount, currency, status, expires_at, transfer_id,
                      provider, provider_payment_id)
    values (p_invoice, p_customer, case when p_provider is null then 'balance' else 'card' end, p_amount,
            p_currency, 'active', p_expires_at, transfer, p_provider, p_provider_payment_id)
    returning * into h;
    perform outbox_publish('hold.placed', 'hold', h.id, jsonb_build_object(
        'holdId', h.id, 'invoiceId', p_invoice, 'customerId', p_customer, 'source', h.source,
        'amount', p_amount, 'currency', p_currency, 'expiresAt', instant_text(p_expires_at))
        || case when p_provider is null then '{}'::jsonb else jsonb_build_object('provider', p_provider) end);
    return h;
end $$;

-- Locks the hold's invoice and returns it (every change to an invoice locks it first); refused when the hold
-- does not exist. The caller locks the hold next.
create function hold_lock_invoice(p_hold bigint) returns invoice language plpgsql as $$
declare
    v_invoice invoice;
begin
    select * into v_invoice from invoice where id = (select invoice_id from hold where id = p_hold) for update;
    if not found then
        raise exception 'hold % does not exist', p_hold using errcode = 'KB404', detail = 'not-found';
    end if;
    return v_invoice;
end $$;

create function hold_require_active(h hold, p_wanted text, p_now timestamptz) returns void
language plpgsql as $$
begin
    if h.status = 'captured' then
        raise exception 'hold % is already captured', h.id using errcode = 'KB409', detail = 'hold-captured';
    elsif h.status = 'released' then
        raise exception 'hold % was released', h.id using errcode = 'KB409', detail = 'hold-released';
    elsif h.status = 'expired' then
        raise exception 'hold % has expired', h.id using errcode = 'KB409', detail = 'hold-expired';
    elsif p_now >= h.expires_at then
        raise exception 'hold % expired at % and cannot be %', h.id, instant_text(h.expires_at), p_wanted
            using errcode = 'KB409', detail = 'hold-expired';
    end if;
end $$;

-- Captures p_amount of the hold (all of it when null; in p_currency when given) as a payment of its invoice,
-- posted as ledger transaction p_transaction; the rest of the reservation goes back.
create function hold_capture(p_hold bigint, p_amount bigint, p_currency text, p_transaction uuid,
                             p_now timestamptz)
returns hold language plpgsql as $$
declare
    v_invoice invoice := hold_lock_invoice(p_hold);
    h hold;
    v_captured bigint;
    v_method text;
    v_payment bigint;
begin
    select * into h from hold where id = p_hold for update;
    perform hold_require_active(h, 'captured', p_now);
    if p_currency is not null and p_currency <> h.currency then
        raise exception 'amount is in %, expected %', p_currency, h.currency
            using errcode = 'KB422', detail = 'currency-mismatch';
    end if;
    v_captured := coalesce(p_amount, h.amount);
    if v_captured <= 0 then
        raise exception 'amount must be positive' using errcode = 'KB422', detail = 'invalid-amount';
    end if;
    if v_captured > h.amount then
        raise exception 'hold % is for %, % asked', p_hold, money_text(h.amount, h.currency),
            money_text(v_captured, h.currency) using errcode = 'KB422', detail = 'capture-exceeds-hold';
    end if;
    v_method := case when h.source = 'card' then 'card' else 'balance' end;
    insert into payment (invoice_id, customer_id, purpose, method, status, amount, currency, hold_id, provider,
                         provider_payment_id)
    values (h.invoice_id, h.customer_id, 'invoice', v_method, 'succeeded', v_captured, h.currency, p_hold,
            h.provider, h.provider_payment_id)
    returning id into v_payment;
    perform ledger_post_pending(h.transfer_id, v_captured, p_transaction, 'hold_capture', v_invoice.number, p_now);
    update hold set status = 'captured', captured_amount = v_captured, resolved_at = p_now where id = p_hold
    returning * into h;
    perform invoice_apply_payment(v_invoice.id, v_payment, v_captured, v_method);
    perform outbox_publish('hold.captured', 'hold', p_hold, jsonb_build_object(
        'holdId', p_hold, 'invoiceId', h.invoice_id, 'amount', v_captured, 'paymentId', v_payment));
    return h;
end $$;

create function hold_release(p_hold bigint, p_now timestamptz) returns hold language plpgsql as $$
declare
    v_invoice invoice := hold_lock_invoice(p_hold);
    h hold;
begin
    select * into h from hold where id = p_hold for update;
    perform hold_require_active(h, 'released', p_now);
    perform ledger_void_pending(h.transfer_id, false, p_now);
    update hold set status = 'released', resolved_at = p_now where id = p_hold returning * into h;
    perform outbox_publish('hold.released', 'hold', p_hold,
        jsonb_build_object('holdId', p_hold, 'invoiceId', h.invoice_id));
    return h;
end $$;

-- Expires the hold if it is active and due; false, changing nothing, when it is not or when a capture or
-- release is working on it right now (same lock order, but never waiting: the next run will see it).
create function hold_expire(p_hold bigint, p_now timestamptz) returns boolean language plpgsql as $$
declare
    v_transfer uuid;
    v_invoice bigint;
begin
    select h.invoice_id into v_invoice from hold h where h.id = p_hold;
    perform 1 from invoice where id = v_invoice for update skip locked;
    if not found then
        return false;
    end if;
    select transfer_id into v_transfer from hold
     where id = p_hold and status = 'active' and expires_at <= p_now for update skip locked;
    if not found then
        return false;
    end if;
    perform ledger_void_pending(v_transfer, true, p_now);
    update hold set status = 'expired', resolved_at = p_now where id = p_hold;
    perform outbox_publish('hold.expired', 'hold', p_hold,
        jsonb_build_object('holdId', p_hold, 'invoiceId', v_invoice));
    return true;
end $$;

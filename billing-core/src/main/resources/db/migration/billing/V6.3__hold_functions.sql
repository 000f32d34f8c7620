-- Holds as database functions. Their events are billing's (io.kopek.billing.BillingEvents), with the same
-- payloads as the records (outbox_publish leaves out what is null, as the Java side does).
--
-- Holds as database functions. Each hold operation (place, capture, release, expire) is one call from Holds, so a
-- request costs one round trip instead of a dozen statements. These functions are the only implementation of
-- those operations: Java checks what a request asks against the billing rules before calling them, and turns
-- their refusals into exceptions (io.kopek.billing.Refusals): the ledger's KL001-KL004 (V2.3) and
--   KB404, KB409, KB422  a refusal of the domain: not found, conflict, invalid; detail: the problem type

-- What active holds reserve towards an invoice is summed under its lock; captured holds accumulate.
create index hold_active_invoice on hold (invoice_id) where status = 'active';

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
    perform outbox_publish('payment.succeeded', 1, 'payment', p_payment, jsonb_build_object(
        'paymentId', p_payment, 'invoiceId', p_invoice, 'customerId', i.customer_id, 'amount', p_amount,
        'currency', i.currency, 'method', p_method));
    if v_next <> i.status then
        perform outbox_publish('invoice.' || v_next, 1, 'invoice', p_invoice,
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
    perform outbox_publish('hold.placed', 1, 'hold', h.id, jsonb_build_object(
        'holdId', h.id, 'invoiceId', p_invoice, 'customerId', p_customer, 'source', h.source,
        'amount', p_amount, 'currency', p_currency, 'expiresAt', instant_text(p_expires_at),
        'provider', p_provider));
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

-- Refused when the caller may act only on holds of p_source and this one is of another: money held on a card is
-- its provider's to take or give back, through its card payment (capturing it as if it were on the balance would
-- mark the invoice paid with no money coming; releasing it would leave the payer's card blocked).
create function hold_require_source(h hold, p_source text) returns void language plpgsql as $$
begin
    if p_source is not null and h.source <> p_source then
        raise exception 'hold % is on a card at %; capture or cancel its card payment (/api/v1/card-payments/{id}/capture or /cancel)',
            h.id, h.provider using errcode = 'KB409', detail = 'card-hold-through-provider';
    end if;
end $$;

-- Captures p_amount of the hold (all of it when null; in p_currency when given) as a payment of its invoice,
-- posted as ledger transaction p_transaction; the rest of the reservation goes back. p_source: see
-- hold_require_source (null: a hold of any source, as card payments capture their own).
create function hold_capture(p_hold bigint, p_amount bigint, p_currency text, p_transaction uuid,
                             p_now timestamptz, p_source text default null)
returns hold language plpgsql as $$
declare
    v_invoice invoice := hold_lock_invoice(p_hold);
    h hold;
    v_captured bigint;
    v_method text;
    v_payment bigint;
begin
    select * into h from hold where id = p_hold for update;
    perform hold_require_source(h, p_source);
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
    perform outbox_publish('hold.captured', 1, 'hold', p_hold, jsonb_build_object(
        'holdId', p_hold, 'invoiceId', h.invoice_id, 'amount', v_captured, 'currency', h.currency,
        'paymentId', v_payment));
    return h;
end $$;

create function hold_release(p_hold bigint, p_now timestamptz, p_source text default null) returns hold
language plpgsql as $$
declare
    v_invoice invoice := hold_lock_invoice(p_hold);
    h hold;
begin
    select * into h from hold where id = p_hold for update;
    perform hold_require_source(h, p_source);
    perform hold_require_active(h, 'released', p_now);
    perform ledger_void_pending(h.transfer_id, false, p_now);
    update hold set status = 'released', resolved_at = p_now where id = p_hold returning * into h;
    perform outbox_publish('hold.released', 1, 'hold', p_hold,
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
    perform outbox_publish('hold.expired', 1, 'hold', p_hold,
        jsonb_build_object('holdId', p_hold, 'invoiceId', v_invoice));
    return true;
end $$;

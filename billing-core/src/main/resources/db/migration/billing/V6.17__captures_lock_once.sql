-- A hold's capture in fewer statements. Each statement a PL/pgSQL function runs costs an executor start and end
-- whatever it does: on the API's hold + capture (perf, the app's backends, 2026-12-05) executor start-up was 14 % of
-- PostgreSQL's CPU. A capture in a batch ran three statements only to find again what its caller had locked:
--   * hold_capture_each locked the invoices of its holds, one statement each, which Holds.placeAndCaptureEach had
--     locked already (invoice_lock_all takes the invoices of the batch's holds too);
--   * hold_capture locked the hold's invoice again (hold_lock_invoice), then read the hold;
--   * invoice_apply_payment read the invoice again.
-- Now the hold and its invoice are read by one statement, the invoice row is handed on, and a batch whose invoices
-- are locked says so (hold_capture_each_locked). What a capture does, checks and announces is unchanged.

-- invoice_apply_payment (V6.3) on the invoice row its caller has locked and read.
create function invoice_apply_payment(i invoice, p_payment bigint, p_amount bigint, p_method text)
returns void language plpgsql as $$
declare
    v_next text;
begin
    v_next := case when i.paid_amount + p_amount = i.total then 'paid'
                 when i.status = 'overdue' then 'overdue'
                 else 'partially_paid' end;
    if v_next <> i.status and i.status not in ('issued', 'partially_paid', 'overdue') then
        raise exception 'an invoice that is % cannot become %', i.status, v_next
            using errcode = 'KB409', detail = 'invalid-invoice-transition';
    end if;
    update invoice set paid_amount = paid_amount + p_amount, status = v_next, updated_at = now()
     where id = i.id;
    perform outbox_publish('payment.succeeded', 1, 'payment', p_payment, jsonb_build_object(
        'paymentId', p_payment, 'invoiceId', i.id, 'customerId', i.customer_id, 'amount', p_amount,
        'currency', i.currency, 'method', p_method));
    if v_next <> i.status then
        perform outbox_publish('invoice.' || v_next, 1, 'invoice', i.id,
            jsonb_build_object('invoiceId', i.id, 'number', i.number));
    end if;
end $$;

-- The invoice (locked by the caller) read, then as above: what PaymentRecorder calls.
create or replace function invoice_apply_payment(p_invoice bigint, p_payment bigint, p_amount bigint, p_method text)
returns void language plpgsql as $$
declare
    i invoice;
begin
    select * into i from invoice where id = p_invoice;
    perform invoice_apply_payment(i, p_payment, p_amount, p_method);
end $$;

-- hold_capture (V6.3) once the hold's invoice is locked by the caller: the hold, locked, and its invoice read
-- together.
create function hold_capture_locked(p_hold bigint, p_amount bigint, p_currency text, p_transaction uuid,
                                    p_now timestamptz, p_source text)
returns hold language plpgsql as $$
declare
    r record;
    v_invoice invoice;
    h hold;
    v_captured bigint;
    v_method text;
    v_payment bigint;
begin
    select i as invoice, x as hold into r
      from hold x join invoice i on i.id = x.invoice_id
     where x.id = p_hold
       for update of x;
    if not found then
        raise exception 'hold % does not exist', p_hold using errcode = 'KB404', detail = 'not-found';
    end if;
    v_invoice := r.invoice;
    h := r.hold;
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
    perform invoice_apply_payment(v_invoice, v_payment, v_captured, v_method);
    perform outbox_publish('hold.captured', 1, 'hold', p_hold, jsonb_build_object(
        'holdId', p_hold, 'invoiceId', h.invoice_id, 'amount', v_captured, 'currency', h.currency,
        'paymentId', v_payment));
    return h;
end $$;

-- A single capture: the hold's invoice locked first (refused when the hold does not exist), as every change to an
-- invoice does.
create or replace function hold_capture(p_hold bigint, p_amount bigint, p_currency text, p_transaction uuid,
                                        p_now timestamptz, p_source text default null)
returns hold language plpgsql as $$
begin
    perform hold_lock_invoice(p_hold);
    return hold_capture_locked(p_hold, p_amount, p_currency, p_transaction, p_now, p_source);
end $$;

-- hold_capture_each (V6.14) for a caller that has locked the invoices of all the holds (invoice_lock_all).
create function hold_capture_each_locked(p_holds bigint[], p_amounts bigint[], p_currencies text[],
                                         p_transactions uuid[], p_now timestamptz, p_source text)
returns setof hold_outcome language plpgsql as $$
declare
    o hold_outcome;
begin
    for i in 1 .. coalesce(array_length(p_holds, 1), 0) loop
        o := row(i, null, null, null, null);
        begin
            o.hold := hold_capture_locked(p_holds[i], p_amounts[i], p_currencies[i], p_transactions[i], p_now,
                                          p_source);
        exception
            when sqlstate 'KL001' or sqlstate 'KL002' or sqlstate 'KL003' or sqlstate 'KL004'
              or sqlstate 'KB404' or sqlstate 'KB409' or sqlstate 'KB422' then
                get stacked diagnostics o.refusal_state = returned_sqlstate, o.refusal_message = message_text,
                                        o.refusal_detail = pg_exception_detail;
        end;
        return next o;
    end loop;
end $$;

-- hold_capture_each locks its holds' invoices in id order (V6.14), then captures as above.
create or replace function hold_capture_each(p_holds bigint[], p_amounts bigint[], p_currencies text[],
                                             p_transactions uuid[], p_now timestamptz, p_source text)
returns setof hold_outcome language plpgsql set plan_cache_mode = force_generic_plan as $$
declare
    v_invoice bigint;
begin
    for v_invoice in select distinct (select h.invoice_id from hold h where h.id = x) from unnest(p_holds) x
                     order by 1 loop
        perform 1 from invoice where id = v_invoice for update;
    end loop;
    return query select * from hold_capture_each_locked(p_holds, p_amounts, p_currencies, p_transactions, p_now,
                                                        p_source);
end $$;

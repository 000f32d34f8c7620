-- hold_place_all_locked and hold_capture_all_locked (V6.25) in fewer statements, as ledger/V2.8 does for the ledger's
-- share: each statement of a PL/pgSQL function has a fixed cost however few rows it touches (a cached plan looked up,
-- an executor started, every node and expression of its plan set up, and ended). Here:
--   hold_place_all_locked writes its holds and publishes their events by one statement (V6.25: two);
--   hold_capture_all_locked posts to the ledger first, and then writes its payments, its holds captured, their
--   invoices and their events by one statement (V6.25: four, the ledger's call between the payments and the holds).
-- The ledger's postings read only the pending transfers and accounts, which nothing here writes, and any refusal
-- rolls the whole batch back (Holds.BatchRefusedException), so the new order is not seen. The rows, events and
-- their order are V6.25's; io.kopek.billing.HoldBatchesInBulkTest holds the batch functions to the one-by-one ones,
-- and EventContractTest the events.

create or replace function hold_place_all_locked(p_invoices bigint[], p_customers bigint[], p_debits text[],
                                                 p_credits text[], p_amounts bigint[], p_currencies text[],
                                                 p_expires_at timestamptz[], p_credit_limits bigint[])
returns setof hold_outcome language plpgsql
set plan_cache_mode = force_generic_plan set enable_seqscan = off as $$
declare
    v_done text; -- what a call returns, unused (V6.23)
    v_count integer := coalesce(array_length(p_invoices, 1), 0);
    v_transfers uuid[] := array(select gen_random_uuid() from generate_series(1, v_count));
    v_holds hold[];
begin
    if v_count = 0 then
        return;
    end if;
    v_done := ledger_reserve_all(v_transfers, p_debits, p_credits, p_amounts, p_currencies, p_expires_at,
                                 p_credit_limits);
    -- The holds and their events by one statement: the events' arrays are aggregates of the inserted holds, so
    -- outbox_publish_all runs once, after every hold is written, with them in the order of the batch.
    with placed as (
        insert into hold (invoice_id, customer_id, source, amount, currency, status, expires_at, transfer_id)
        select t.invoice_id, p_customers[t.n], 'balance', p_amounts[t.n], p_currencies[t.n], 'active',
               p_expires_at[t.n], v_transfers[t.n]
          from unnest(p_invoices) with ordinality as t(invoice_id, n)
         order by t.n
        returning hold as h, array_position(v_transfers, transfer_id) as n)
    select array_agg(p.h order by p.n),
           outbox_publish_all(
               array_fill('hold.placed'::text, array[v_count]), 1, array_fill('hold'::text, array[v_count]),
               array_agg((p.h).id order by p.n),
               array_agg(jsonb_build_object(
                             'holdId', (p.h).id, 'invoiceId', (p.h).invoice_id, 'customerId', (p.h).customer_id,
                             'source', (p.h).source, 'amount', (p.h).amount, 'currency', (p.h).currency,
                             'expiresAt', instant_text((p.h).expires_at)) order by p.n))
      into v_holds, v_done
      from placed p;
    return query select k, v_holds[k], null::text, null::text, null::text from generate_series(1, v_count) k;
end $$;

-- The captures of hold_place_and_capture_all_locked: hold_capture_locked (V6.23) for each, the holds' invoices
-- locked by the caller.
create or replace function hold_capture_all_locked(p_holds bigint[], p_amounts bigint[], p_currencies text[],
                                                   p_transactions uuid[], p_now timestamptz, p_source text)
returns setof hold_outcome language plpgsql
set plan_cache_mode = force_generic_plan set enable_seqscan = off as $$
declare
    v_done text; -- what a call returns, unused (V6.23)
    v_count integer := coalesce(array_length(p_holds, 1), 0);
    v_holds hold[];
    v_invoices invoice[];
    v_captured bigint[];
    v_next text[];
    v_plain boolean;
    o hold_outcome;
begin
    if v_count = 0 then
        return;
    end if;
    -- In id order; their invoices, locked first by the caller, keep two batches from wanting them both ways.
    perform 1 from hold where id = any(p_holds) order by id for update;
    select array_agg(x order by u.n), array_agg(i order by u.n),
           array_agg(coalesce(u.amount, x.amount) order by u.n),
           -- each invoice's status after its capture, as invoice_apply_payment (V6.23) sets it
           array_agg(case when i.paid_amount + coalesce(u.amount, x.amount) = i.total then 'paid'
                          when i.status = 'overdue' then 'overdue'
                          else 'partially_paid' end order by u.n),
           -- The plain case: every hold found, each once, of another invoice than the batch's others; each amount
           -- as hold_capture_locked accepts it; each invoice's change of status one it allows
           -- (invoice_apply_payment). Anything else goes item after item, as before.
           count(x.id) = v_count and count(distinct x.id) = v_count and count(distinct x.invoice_id) = v_count
           and coalesce(bool_and(coalesce(
                   (u.currency is null or u.currency = x.currency)
                   and coalesce(u.amount, x.amount) > 0 and coalesce(u.amount, x.amount) <= x.amount
                   and i.status in ('issued', 'partially_paid', 'overdue'), false)), true)
      into v_holds, v_invoices, v_captured, v_next, v_plain
      from (select h.id, p_amounts[h.n] as amount, p_currencies[h.n] as currency, h.n
              from unnest(p_holds) with ordinality as h(id, n)) u
      left join hold x on x.id = u.id
      left join invoice i on i.id = x.invoice_id;
    if not v_plain then
        for k in 1 .. v_count loop
            o := row(k, hold_capture_locked(p_holds[k], p_amounts[k], p_currencies[k], p_transactions[k], p_now,
                                            p_source), null, null, null);
            return next o;
        end loop;
        return;
    end if;
    -- The rules of a hold's state, where they are stated: the first hold refused fails the call.
    perform hold_require_source(h, p_source), hold_require_active(h, 'captured', p_now) from unnest(v_holds) h;
    -- The ledger first: its postings read nothing that the statement below writes, and a refusal anywhere rolls the
    -- whole batch back (the caller's BatchRefusedException), so the order of the two is not seen.
    v_done := ledger_post_pending_all(
        array(select h.transfer_id from unnest(v_holds) h), v_captured, p_transactions, 'hold_capture',
        array(select i.number from unnest(v_invoices) i), p_now);
    -- Then by one statement: the payments, the holds captured, their invoices (invoice_apply_payment, V6.23, for each:
    -- one invoice per capture, checked above) and each capture's events in the order hold_capture_locked publishes
    -- them (its payment, its invoice's new status if it changed, its hold). Its parts read the holds and invoices as
    -- locked and checked above, never each other's writes but the payments' ids.
    with paid as (
        insert into payment (invoice_id, customer_id, purpose, method, status, amount, currency, hold_id, provider,
                             provider_payment_id)
        select h.invoice_id, h.customer_id, 'invoice', case when h.source = 'card' then 'card' else 'balance' end,
               'succeeded', v_captured[k], h.currency, h.id, h.provider, h.provider_payment_id
          from generate_series(1, v_count) k, lateral (select (v_holds[k]).*) h
         order by k
        returning id, array_position(p_holds, hold_id) as k),
    captured as (
        update hold x set status = 'captured', captured_amount = c.amount, resolved_at = p_now
          from (select h.id, v_captured[h.n] as amount from unnest(p_holds) with ordinality as h(id, n)) c
         where x.id = c.id
        returning x as h, array_position(p_holds, x.id) as k),
    invoiced as (
        update invoice i
           set paid_amount = i.paid_amount + c.amount, status = c.next, updated_at = now()
          from (select (v_invoices[k.n]).id, k.amount, v_next[k.n] as next
                  from unnest(v_captured) with ordinality as k(amount, n)) c
         where i.id = c.id),
    event as (
        select p.k, 1 as seq, 'payment.succeeded' as type, 'payment' as aggregate_type, p.id as aggregate_id,
               jsonb_build_object('paymentId', p.id, 'invoiceId', (v_invoices[p.k]).id,
                                  'customerId', (v_invoices[p.k]).customer_id, 'amount', v_captured[p.k],
                                  'currency', (v_invoices[p.k]).currency,
                                  'method', case when (v_holds[p.k]).source = 'card' then 'card' else 'balance' end)
                   as payload
          from paid p
        union all
        select k, 2, 'invoice.' || v_next[k], 'invoice', (v_invoices[k]).id,
               jsonb_build_object('invoiceId', (v_invoices[k]).id, 'number', (v_invoices[k]).number)
          from generate_series(1, v_count) k
         where v_next[k] <> (v_invoices[k]).status
        union all
        select p.k, 3, 'hold.captured', 'hold', (v_holds[p.k]).id,
               jsonb_build_object('holdId', (v_holds[p.k]).id, 'invoiceId', (v_holds[p.k]).invoice_id,
                                  'amount', v_captured[p.k], 'currency', (v_holds[p.k]).currency,
                                  'paymentId', p.id)
          from paid p)
    select (select array_agg(c.h order by c.k) from captured c),
           outbox_publish_all(array_agg(e.type order by e.k, e.seq), 1,
                              array_agg(e.aggregate_type order by e.k, e.seq),
                              array_agg(e.aggregate_id order by e.k, e.seq),
                              array_agg(e.payload order by e.k, e.seq))
      into v_holds, v_done
      from event e;
    return query select k, v_holds[k], null::text, null::text, null::text from generate_series(1, v_count) k;
end $$;

-- A batch's placements and captures with no subtransaction per item, for the group commit's usual batch, in which
-- nothing is refused. The *_each functions (V6.14, V6.17, V6.19) run each item in a block of its own so that a
-- refusal undoes that item alone; a block that writes is a subtransaction with an id of its own, and a capture's
-- update of an invoice the caller locked in the transaction itself turns the row's lock into a multixact (the
-- locker and the updater are two ids of one transaction). Measured with callgrind on the batch mirror of the API's
-- benchmark (api-pair-batch.sql, a copy of a benchmark's database, 2026-12-06): 3.623 M instructions a pair with a
-- block per item against 3.450 M without (-4.8 %, batches of four), multixact look-ups included.
--
-- These call the same hold_place and hold_capture_locked as the *_each functions do, item by item in the same
-- order, and return the same outcomes; but the first refusal fails the call, and with it the transaction. The
-- caller (io.kopek.billing.Holds, for io.kopek.api.HoldBatches) then rolls the batch back and runs it again through
-- the *_each functions, where each refusal is the item's own. What each item does, checks and announces is
-- unchanged.

-- hold_place_and_capture_each_locked (V6.19) with no block per item.
create function hold_place_and_capture_all_locked(
    p_invoices bigint[], p_customers bigint[], p_debits text[], p_credits text[], p_amounts bigint[],
    p_currencies text[], p_expires_at timestamptz[], p_credit_limits bigint[],
    p_holds bigint[], p_capture_amounts bigint[], p_capture_currencies text[], p_transactions uuid[],
    p_now timestamptz, p_source text)
returns setof hold_outcome language plpgsql as $$
declare
    v_placed integer := coalesce(array_length(p_invoices, 1), 0);
    o hold_outcome;
begin
    for i in 1 .. v_placed loop
        o := row(i, hold_place(p_invoices[i], p_customers[i], p_debits[i], p_credits[i], p_amounts[i],
                               p_currencies[i], p_expires_at[i], p_credit_limits[i], null, null), null, null, null);
        return next o;
    end loop;
    for i in 1 .. coalesce(array_length(p_holds, 1), 0) loop
        o := row(v_placed + i, hold_capture_locked(p_holds[i], p_capture_amounts[i], p_capture_currencies[i],
                                                   p_transactions[i], p_now, p_source), null, null, null);
        return next o;
    end loop;
end $$;

-- hold_capture_each (V6.17) with no block per item: the holds' invoices locked in id order, then the captures.
create function hold_capture_all(p_holds bigint[], p_amounts bigint[], p_currencies text[], p_transactions uuid[],
                                 p_now timestamptz, p_source text)
returns setof hold_outcome language plpgsql set plan_cache_mode = force_generic_plan as $$
declare
    v_invoice bigint;
begin
    for v_invoice in select distinct (select h.invoice_id from hold h where h.id = x) from unnest(p_holds) x
                     order by 1 loop
        perform 1 from invoice where id = v_invoice for update;
    end loop;
    return query select * from hold_place_and_capture_all_locked('{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}',
                                                                  p_holds, p_amounts, p_currencies, p_transactions,
                                                                  p_now, p_source);
end $$;

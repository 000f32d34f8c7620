-- A batch's placements and captures in one call. The API's group commit (HoldBatches) ran hold_place_each and then
-- hold_capture_each_locked as two statements, two round trips between the committer and its backend. PgJDBC cannot
-- send them as one: before the second statement of a text of several it waits for the first's rows whenever their
-- size is unbounded (QueryExecutorImpl.flushIfDeadlockRisk), and an outcome's are (texts). Each round trip costs
-- both processes a write, a wait and a read on the socket; on the API's benchmark (2026-12-06, JFR's CPU-time
-- samples of the app) the committers' socket calls were a fifth of the app's CPU over five round trips a batch.
-- The placements run first and the captures after, as before; the captures' items are numbered after the
-- placements', so that the caller tells them apart by their numbers. What each does, checks and announces is
-- theirs (V6.14, V6.17): this only calls them.
create function hold_place_and_capture_each_locked(
    p_invoices bigint[], p_customers bigint[], p_debits text[], p_credits text[], p_amounts bigint[],
    p_currencies text[], p_expires_at timestamptz[], p_credit_limits bigint[],
    p_holds bigint[], p_capture_amounts bigint[], p_capture_currencies text[], p_transactions uuid[],
    p_now timestamptz, p_source text)
returns setof hold_outcome language plpgsql as $$
declare
    v_placed integer := coalesce(array_length(p_invoices, 1), 0);
begin
    if v_placed > 0 then
        return query select * from hold_place_each(p_invoices, p_customers, p_debits, p_credits, p_amounts,
                                                   p_currencies, p_expires_at, p_credit_limits);
    end if;
    if coalesce(array_length(p_holds, 1), 0) > 0 then
        return query select o.item + v_placed, o.hold, o.refusal_state, o.refusal_message, o.refusal_detail
                       from hold_capture_each_locked(p_holds, p_capture_amounts, p_capture_currencies,
                                                     p_transactions, p_now, p_source) o;
    end if;
end $$;

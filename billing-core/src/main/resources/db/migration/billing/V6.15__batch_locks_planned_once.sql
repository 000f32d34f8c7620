-- The group commit's locks (io.kopek.billing.Holds.placeAndCaptureEach), planned once per connection instead of on
-- every batch. A statement that takes an array parameter is estimated for the array it is given; PostgreSQL's plan
-- cache then finds each call's own ("custom") plan cheaper than the generic one and plans the statement anew on every
-- call. Measured on the API's hold + capture (pg_stat_statements, 2026-12-05): the invoices' lock (InvoiceStore.lockAll)
-- cost ~370 us of planning for ~130 us of work per batch, and hold_capture_each's lock of its holds' invoices ~100 us
-- of planning. Both look rows up by primary key only, whose generic plan is right for any array, so they are made to
-- use it (plan_cache_mode: https://www.postgresql.org/docs/15/runtime-config-query.html#GUC-PLAN-CACHE-MODE).

-- The invoices p_invoices and those of the holds p_holds, locked in id order (two batches never wait for each other
-- holding what the other needs) and returned with their lines (a row per line, none for an invoice without lines) and
-- what their active holds reserve; ids that are not an invoice's are left out. Each hold's invoice is looked up by the
-- hold's key, one by one: a join of the holds, planned once while the table was small, would stay a scan of every hold.
create function invoice_lock_all(p_invoices bigint[], p_holds bigint[])
returns table (id bigint, merchant_id bigint, customer_id bigint, number text, order_ref text, currency char(3),
               status text, issue_date date, due_date date, total bigint, vat_total bigint, paid_amount bigint,
               refunded_amount bigint, created_at timestamptz, held numeric, line_no integer, product_id bigint,
               name text, category text, quantity numeric, list_price bigint, unit_price bigint, amount bigint,
               vat_code text, vat_rate_bp integer, vat_amount bigint, rule_id bigint)
language plpgsql set plan_cache_mode = force_generic_plan as $$
#variable_conflict use_column
begin
    return query
    select i.id, i.merchant_id, i.customer_id, i.number, i.order_ref, i.currency, i.status, i.issue_date, i.due_date,
           i.total, i.vat_total, i.paid_amount, i.refunded_amount, i.created_at,
           (select coalesce(sum(h.amount), 0) from hold h where h.invoice_id = i.id and h.status = 'active'),
           l.line_no, l.product_id, l.name, l.category, l.quantity, l.list_price, l.unit_price, l.amount, l.vat_code,
           l.vat_rate_bp, l.vat_amount, l.rule_id
      from invoice i left join invoice_line l on l.invoice_id = i.id
     where i.id = any(p_invoices || array(select (select h.invoice_id from hold h where h.id = x)
                                            from unnest(p_holds) x))
     order by i.id, l.line_no
       for update of i;
end $$;

alter function hold_capture_each(bigint[], bigint[], text[], uuid[], timestamptz, text)
    set plan_cache_mode = force_generic_plan;

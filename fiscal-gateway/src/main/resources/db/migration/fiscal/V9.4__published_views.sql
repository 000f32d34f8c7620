-- What the fiscal gateway publishes to the reports (io.kopek.report.catalogue): its receipts with their fiscal
-- attributes, and the payments and refunds that have no done or exempt receipt (the rule of UnfiscalizedCheck,
-- which reads this view itself, so the daily check and the report cannot disagree).

create view fiscal_receipt as
select r.id as receipt_id, r.kind, r.state, r.event_key, r.invoice_id, r.payment_id, r.refund_id, r.customer_id,
       r.total, r.currency, r.exemption, r.fn_number, r.fiscal_document_number, r.fiscal_document_attribute,
       r.fiscal_receipt_number, r.registered_at, r.created_at, r.done_at
from receipt r;

-- receipt_state is null when there is no receipt at all.
create view fiscal_unfiscalized as
select 'payment:' || p.payment_id || ':sell' as event_key, 'payment'::text as operation, p.invoice_id, p.payment_id,
       null::bigint as refund_id, p.amount, p.currency, p.created_at, r.state as receipt_state
from billing_payment p
left join receipt r on r.payment_id = p.payment_id and r.kind = 'sell'
where r.state is null or r.state not in ('done', 'exempt')
union all
select 'refund:' || f.refund_id || ':sell_refund', 'refund', f.invoice_id, f.payment_id, f.refund_id, f.amount,
       f.currency, f.created_at, r.state
from billing_refund f
left join receipt r on r.refund_id = f.refund_id
where r.state is null or r.state not in ('done', 'exempt');

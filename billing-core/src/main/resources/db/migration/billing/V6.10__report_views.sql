-- What billing publishes to the reports (io.kopek.report.catalogue), besides billing_payment and billing_refund
-- (V6.6): an invoice's header (its number, merchant and customer) and the holds. The merchant's code is the first
-- part of the invoice's number, which billing builds from it ("<code>-<year>-<number>"; a merchant code has no
-- dash), so the view need not read the catalog's tables. Plain views over billing's tables, which only billing
-- changes.

create view billing_invoice_header as
select i.id as invoice_id, i.number, i.merchant_id, split_part(i.number, '-', 1) as merchant_code, i.customer_id,
       i.currency, i.status, i.issue_date, i.due_date, i.total, i.created_at
from invoice i;

create view billing_hold as
select h.id as hold_id, h.invoice_id, h.customer_id, h.source, h.provider, h.provider_payment_id, h.amount,
       h.captured_amount, h.currency, h.status, h.expires_at, h.created_at, h.resolved_at
from hold h;

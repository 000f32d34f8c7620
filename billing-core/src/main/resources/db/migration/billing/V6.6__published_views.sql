-- What billing publishes to every module that reads its payments and refunds in SQL (the fiscal gateway's check
-- for payments without a receipt; reports next): plain views over its tables, which only billing changes.

create view billing_payment as
select p.id as payment_id, p.invoice_id, p.customer_id, p.purpose, p.method, p.provider, p.provider_payment_id,
       p.amount, p.refunded_amount, p.currency, p.hold_id, p.created_at
from payment p;

create view billing_refund as
select r.id as refund_id, r.invoice_id, r.payment_id, r.amount, r.currency, r.reason, r.created_at
from refund r;

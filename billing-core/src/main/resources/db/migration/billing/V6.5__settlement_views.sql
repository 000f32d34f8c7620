-- What billing publishes to the settlement's reconciliation, which reads these views and never billing's tables:
-- the card payments and card refunds it recorded (with their invoice's number), and the commission terms of the
-- rule that priced an invoice's first line. Plain views, so the planner reads through them to the tables and the
-- indexes of V6.4; the invoice is joined on the left, so a query that needs no number does not read it.

create view billing_card_payment as
select p.id as payment_id, p.provider, p.provider_payment_id, p.invoice_id, i.number as invoice_number,
       p.amount, p.currency, p.created_at
from payment p
left join invoice i on i.id = p.invoice_id
where p.method = 'card';

create view billing_card_refund as
select r.id as refund_id, r.payment_id, p.provider, p.provider_payment_id, r.invoice_id, i.number as invoice_number,
       r.amount, r.currency, r.created_at
from refund r
join payment p on p.id = r.payment_id
left join invoice i on i.id = r.invoice_id
where p.method = 'card';

-- Lines are numbered from 1 (Invoicing), so the first line is line 1.
create view billing_invoice_commission as
select il.invoice_id, br.commission_bp, br.commission_fixed
from invoice_line il
join billing_rule br on br.id = il.rule_id
where il.line_no = 1;

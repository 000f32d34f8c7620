-- What card payments publish to the settlement's reconciliation: the order number each provider was given, and the
-- number of the invoice it pays (registries name payments by the order number).

create view card_payment_order as
select c.provider, c.order_number, i.number as invoice_number
from card_payment c
join invoice i on i.id = c.invoice_id;

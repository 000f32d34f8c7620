-- An order reference is unique per customer, and per merchant only among the references its staff gave.
-- A reference given by a customer's own API key is the customer's: another customer using the same text is not a
-- duplicate, and a duplicate must never be answered with someone else's invoice. The merchant's staff give the
-- merchant's own order ids, unique across its customers. Every reference before this one was a merchant's.

alter table invoice add column order_ref_scope text check (order_ref_scope in ('customer', 'merchant'));
update invoice set order_ref_scope = 'merchant' where order_ref is not null;
alter table invoice add constraint invoice_order_ref_scope_set check ((order_ref is null) = (order_ref_scope is null));

alter table invoice drop constraint invoice_merchant_id_order_ref_key;
create unique index invoice_order_ref_per_customer on invoice (merchant_id, customer_id, order_ref)
    where order_ref is not null;
create unique index invoice_order_ref_per_merchant on invoice (merchant_id, order_ref)
    where order_ref_scope = 'merchant';

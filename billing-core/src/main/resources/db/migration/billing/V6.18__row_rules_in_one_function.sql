-- Holds', invoices' and payments' CHECK constraints, each table's as one call of an immutable function of the row,
-- as ledger/V2.5 does for the ledger's tables and for the same reason: PostgreSQL 15 reads a table's CHECK
-- constraints back from their stored node text and prepares them again in every statement that writes a row of it,
-- and a hold + capture writes a hold twice, an invoice and a payment once each (24 of the 49 constraints read a
-- pair; the measurement is in ledger/V2.5). The rules are the same, rule for rule.

alter table hold
    drop constraint hold_status_check,
    drop constraint hold_source_check,
    drop constraint hold_amount_check,
    drop constraint hold_check,
    drop constraint hold_card_names_provider_payment;

create function hold_rules(h hold) returns boolean language plpgsql immutable as $$
begin
    return h.status in ('active', 'captured', 'released', 'expired')
       and h.source in ('balance', 'card')
       and h.amount > 0
       and h.captured_amount > 0 and h.captured_amount <= h.amount
       -- a hold on a card names its provider's payment; one on the balance names none
       and (h.source = 'card') = (h.provider is not null and h.provider_payment_id is not null);
end $$;

alter table hold add constraint hold_rules check (hold_rules(hold));

alter table invoice
    drop constraint invoice_status_check,
    drop constraint invoice_total_check,
    drop constraint invoice_vat_total_check,
    drop constraint invoice_check,
    drop constraint invoice_check1,
    drop constraint invoice_order_ref_scope_check,
    drop constraint invoice_order_ref_scope_set;

create function invoice_rules(i invoice) returns boolean language plpgsql immutable as $$
begin
    return i.status in ('issued', 'partially_paid', 'paid', 'overdue', 'cancelled', 'partially_refunded', 'refunded')
       and i.total >= 0 and i.vat_total >= 0
       and i.paid_amount >= 0 and i.paid_amount <= i.total
       and i.refunded_amount >= 0 and i.refunded_amount <= i.paid_amount
       -- an order's reference is unique per customer or per merchant, and says which (V6.7)
       and i.order_ref_scope in ('customer', 'merchant')
       and (i.order_ref is null) = (i.order_ref_scope is null);
end $$;

alter table invoice add constraint invoice_rules check (invoice_rules(invoice));

alter table payment
    drop constraint payment_status_check,
    drop constraint payment_method_check,
    drop constraint payment_purpose_check,
    drop constraint payment_amount_check,
    drop constraint payment_check,
    drop constraint payment_check1,
    drop constraint payment_card_names_provider_payment;

create function payment_rules(p payment) returns boolean language plpgsql immutable as $$
begin
    return p.status = 'succeeded'
       and p.method in ('balance', 'bank_transfer', 'card')
       and p.purpose in ('invoice', 'top_up')
       and (p.purpose = 'invoice') = (p.invoice_id is not null)
       and p.amount > 0
       and p.refunded_amount >= 0 and p.refunded_amount <= p.amount
       -- a card payment names its provider's payment; no other payment does
       and (p.method = 'card') = (p.provider is not null and p.provider_payment_id is not null);
end $$;

alter table payment add constraint payment_rules check (payment_rules(payment));

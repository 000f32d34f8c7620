-- A top-up paid by card can be refunded to the card: its refund belongs to no invoice, only to its payment (which is
-- then a top-up's, a payment with no invoice either).

alter table refund alter column invoice_id drop not null;

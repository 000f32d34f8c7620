-- What the settlement's reconciliation reads of billing (the card payments and refunds of a provider's day, the
-- refunds of a payment) is found by these indexes; a card payment by its provider payment id through the unique
-- constraint of V6.2.

create index payment_card_day on payment (provider, created_at) where method = 'card';
create index refund_created on refund (created_at);
create index refund_payment on refund (payment_id);

-- The console's turnover reads the card payments of a period across providers (CardTurnover); V6.4's index leads
-- with the provider, so a period of every provider would read the whole table without this one.

create index payment_card_created on payment (created_at) where method = 'card';

-- Card payments in billing: a hold or a payment that a payment provider carries names the provider's payment,
-- once. The provider's clearing account (provider:{id}:clearing:{CUR}) takes the other side of the ledger.

alter table hold
    add column provider            text,
    add column provider_payment_id text,
    add constraint hold_card_names_provider_payment
        check ((source = 'card') = (provider is not null and provider_payment_id is not null)),
    add constraint hold_provider_payment_once unique (provider, provider_payment_id);

alter table payment
    add column provider_payment_id text,
    add constraint payment_card_names_provider_payment
        check ((method = 'card') = (provider is not null and provider_payment_id is not null)),
    add constraint payment_provider_payment_once unique (provider, provider_payment_id);

-- A provider's payment is named once (V6.2), now by unique indexes over only the rows that name one. The unique
-- constraints indexed every hold and every payment, though a row on the balance names no provider (both columns
-- null) and so can never meet another: an index entry for each such row, written when it is inserted and again
-- when an update of the row cannot stay on its page (a hold's capture changes its status, which the active holds'
-- indexes select on). The partial indexes hold the same rule (a unique index treats nulls as distinct, so the rows
-- left out never conflicted), and the lookups by provider and payment, whose equalities imply both are set, use
-- them. Nothing names these constraints (no ON CONFLICT target, no error mapping by name).
alter table hold drop constraint hold_provider_payment_once;
create unique index hold_provider_payment_once on hold (provider, provider_payment_id)
    where provider is not null and provider_payment_id is not null;

alter table payment drop constraint payment_provider_payment_once;
create unique index payment_provider_payment_once on payment (provider, provider_payment_id)
    where provider is not null and provider_payment_id is not null;

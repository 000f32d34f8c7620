-- Card payments: each attempt to pay an invoice through a provider, written before the provider is called, so
-- that an outcome the provider never told us (a timeout) is still known to be possible and is resolved later.

create table card_payment (
    id                  bigint generated always as identity primary key,
    invoice_id          bigint      not null references invoice (id),
    customer_id         bigint      not null references customer (id),
    provider            text        not null,
    two_stage           boolean     not null,
    amount              bigint      not null check (amount > 0),
    currency            char(3)     not null,
    -- What the provider knows the attempt by: the order number and the idempotency key of its create.
    order_number        text        not null unique,
    idempotency_key     uuid        not null unique,
    -- The API request that started it (API key + Idempotency-Key), so a repeated request finds it.
    request_key         text        unique,
    return_url          text,
    status              text        not null check (status in ('creating', 'unknown', 'pending', 'authorized',
                                                               'succeeded', 'canceled', 'failed')),
    provider_payment_id text,
    confirmation_url    text,
    card_mask           text check (card_mask is null or card_mask !~ '[0-9]{13,}'),
    failure_reason      text,
    captured_amount     bigint      not null default 0 check (captured_amount >= 0 and captured_amount <= amount),
    hold_id             bigint      unique references hold (id),
    payment_id          bigint      unique references payment (id),
    -- An operation asked of the provider whose outcome is not known yet: capture or cancel.
    pending_operation   text check (pending_operation in ('capture', 'cancel')),
    pending_amount      bigint,
    check_after         timestamptz not null,
    checks              integer     not null default 0,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    unique (provider, provider_payment_id)
);

create index card_payment_invoice on card_payment (invoice_id);
-- Final ones wait until 'infinity' unless a refund of theirs is still open.
create index card_payment_to_check on card_payment (check_after);

create table card_refund (
    id                 bigint generated always as identity primary key,
    card_payment_id    bigint      not null references card_payment (id),
    amount             bigint      not null check (amount > 0),
    currency           char(3)     not null,
    reason             text,
    idempotency_key    uuid        not null unique,
    request_key        text        unique,
    status             text        not null check (status in ('pending', 'unknown', 'succeeded', 'failed')),
    provider_refund_id text,
    refund_id          bigint      unique references refund (id),
    failure_reason     text,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);

create index card_refund_payment on card_refund (card_payment_id);
create index card_refund_open on card_refund (card_payment_id) where status in ('pending', 'unknown');

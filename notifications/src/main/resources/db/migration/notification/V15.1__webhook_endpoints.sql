-- Merchants' webhook endpoints and their signing secrets (Standard Webhooks). A secret is kept encrypted (AES-GCM,
-- nonce || ciphertext) under kopek.notifications.webhooks.secret-key: a copy of the database alone cannot sign.
create table webhook_endpoint (
    endpoint_id bigint generated always as identity primary key,
    -- null: an endpoint of the installation, which hears every event (of every merchant and of the installation)
    merchant_id bigint references merchant (id),
    url text not null,
    -- the event types it hears; empty: all of them
    event_types text[] not null default '{}',
    description text,
    enabled boolean not null default true,
    disabled_reason text,
    disabled_at timestamptz,
    -- told (with staff) when the endpoint is disabled for failing
    contact_email text,
    -- the first failed attempt since the last delivered one; five days of it disable the endpoint
    failing_since timestamptz,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

create index webhook_endpoint_merchant on webhook_endpoint (merchant_id) where enabled;

create table webhook_secret (
    secret_id bigint generated always as identity primary key,
    endpoint_id bigint not null references webhook_endpoint (endpoint_id) on delete cascade,
    encrypted bytea not null,
    created_at timestamptz not null,
    -- null while it is the current secret; set at rotation to the end of the overlap, when it stops signing
    expires_at timestamptz
);

create index webhook_secret_endpoint on webhook_secret (endpoint_id);

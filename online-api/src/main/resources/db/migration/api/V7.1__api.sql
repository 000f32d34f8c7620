-- The online API: API keys (hashed) and the idempotency records of POST requests.

create table api_key (
    id          bigint generated always as identity primary key,
    prefix      text        not null unique,
    secret_hash bytea       not null,
    role        text        not null check (role in ('customer', 'accountant', 'finance', 'operator', 'admin')),
    customer_id bigint      references customer (id),
    name        text        not null,
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz,
    check ((role = 'customer') = (customer_id is not null))
);

create table idempotency_record (
    api_key_id            bigint      not null references api_key (id),
    key                   text        not null,
    request_hash          bytea       not null,
    method                text        not null,
    path                  text        not null,
    -- Filled in the same transaction as the request's effect; a record without a response is never seen
    -- by another request, because it is inserted in that transaction too.
    response_status       integer,
    response_content_type text,
    response_body         bytea,
    created_at            timestamptz not null default now(),
    primary key (api_key_id, key)
);

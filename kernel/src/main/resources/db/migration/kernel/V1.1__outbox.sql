-- The kernel's tables and functions: the transactional outbox, its consumers' positions, and the texts that
-- database functions put into events and refusals, written as the Java side writes them.

-- The transactional outbox: written in the same transaction as the change it announces.
create table outbox_event (
    id             bigint generated always as identity primary key,
    event_id       uuid        not null unique,
    type           text        not null,
    version        integer     not null check (version > 0),
    aggregate_type text        not null,
    aggregate_id   text        not null,
    payload        jsonb       not null,
    occurred_at    timestamptz not null default now(),
    published_at   timestamptz
);

create index outbox_event_unpublished on outbox_event (id) where published_at is null;

-- The last outbox event each consumer (fiscal receipts, notifications, the search index) has processed; moved in
-- the same transaction as what it created (io.kopek.outbox.OutboxConsumer). A consumer's row appears on its first pass.
create table outbox_consumer (
    consumer      text   primary key,
    last_event_id bigint not null
);

-- Amounts as Money prints them (the currencies Kopek bills in have two fraction digits).
create function money_text(p_minor bigint, p_currency text) returns text
language sql immutable as $$
    select to_char(p_minor / 100.0, 'FM999999999999999990.00') || ' ' || p_currency
$$;

create function instant_text(p_at timestamptz) returns text
language sql stable as $$
    select to_char(p_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

-- An event published by a database function: the same type, version and payload as its record in Java
-- (io.kopek.outbox.EventType), which EventContractTest holds them to.
create function outbox_publish(p_type text, p_version integer, p_aggregate_type text, p_aggregate_id bigint,
                               p_payload jsonb)
returns void language sql as $$
    insert into outbox_event (event_id, type, version, aggregate_type, aggregate_id, payload)
    values (gen_random_uuid(), p_type, p_version, p_aggregate_type, p_aggregate_id::text, jsonb_strip_nulls(p_payload))
$$;

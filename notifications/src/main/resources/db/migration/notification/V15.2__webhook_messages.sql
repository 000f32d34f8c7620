-- One message per (endpoint, event): its body fixed when the event was notified and never rebuilt, so every retry
-- carries the same bytes under the same webhook-id. States: pending (no attempt yet, or put back by re-send or
-- recover), failing (the last attempt failed, the next is due at next_attempt_at), delivered, dead (retries used up).
-- A pending or failing message with leased_until in the future is in flight in some batch process.
create table webhook_message (
    message_id bigint generated always as identity primary key,
    endpoint_id bigint not null references webhook_endpoint (endpoint_id) on delete cascade,
    event_id uuid not null,
    event_type text not null,
    ordering_key text not null,
    body bytea not null,
    -- when the event was written to the outbox (the delivery latency is measured from it)
    occurred_at timestamptz not null,
    state text not null default 'pending' check (state in ('pending', 'failing', 'delivered', 'dead')),
    -- attempts since it was (re)queued; the retry schedule counts these
    attempts int not null default 0,
    next_attempt_at timestamptz not null,
    leased_until timestamptz,
    delivered_at timestamptz,
    last_error text,
    created_at timestamptz not null,
    unique (endpoint_id, event_id)
);

-- What the pump claims: due messages, in order.
create index webhook_message_due on webhook_message (next_attempt_at, message_id)
    where state in ('pending', 'failing');
-- Ordering: an earlier undelivered message of the same endpoint and key holds the later ones back.
create index webhook_message_queue on webhook_message (endpoint_id, ordering_key, message_id)
    where state in ('pending', 'failing');
-- The delivery log of an endpoint, newest first, and recovery since a time.
create index webhook_message_endpoint on webhook_message (endpoint_id, message_id);

create table webhook_attempt (
    attempt_id bigint generated always as identity primary key,
    message_id bigint not null references webhook_message (message_id) on delete cascade,
    attempted_at timestamptz not null,
    -- the answer's status, or null when there was none (refused, timed out, connection failed: see error)
    status_code int,
    error text,
    latency_ms int not null,
    -- the first 1,024 bytes of the answer's body, as UTF-8
    response text
);

create index webhook_attempt_message on webhook_attempt (message_id, attempt_id);

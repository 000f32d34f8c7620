-- What the console reads of the fiscal gateway: the receipts not done yet per state (how many, the oldest), found
-- by this index without reading the done ones, which are nearly all; and the resends people asked for.

create index receipt_backlog on receipt (state, created_at) where state in ('pending', 'waiting', 'failed', 'invalid');

-- A failed receipt put back into the push queue by a person: who, when, why, and the external id it was sent under
-- then (a new one after an attempt the operator had accepted, the same one otherwise). Append-only.
create table receipt_resend (
    id          bigint generated always as identity primary key,
    receipt_id  bigint      not null references receipt (id),
    actor       text        not null,
    reason      text,
    external_id text        not null,
    at          timestamptz not null default now()
);

create index receipt_resend_receipt on receipt_resend (receipt_id, id);

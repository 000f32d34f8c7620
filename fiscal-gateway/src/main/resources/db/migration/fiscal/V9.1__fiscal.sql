-- 54-FZ fiscal receipts (FFD 1.2).

-- One receipt per fiscal event: event_key names the event and the receipt kind ('payment:42:sell',
-- 'refund:7:sell_refund', 'correction:<key>:sell_correction'), so processing an event again never makes a
-- second receipt. A receipt is pending until the operator accepts it, waiting until the cash register has
-- registered it, then done with its fiscal attributes; failed when the register refused it after acceptance;
-- invalid when it failed validation (ours or the operator's) and was never registered.
create table receipt (
    id                        bigint generated always as identity primary key,
    event_key                 text        not null unique,
    kind                      text        not null check (kind in ('sell', 'sell_refund', 'sell_correction')),
    state                     text        not null check (state in ('pending', 'waiting', 'done', 'failed', 'invalid')),
    invoice_id                bigint      references invoice (id),
    payment_id                bigint      references payment (id),
    refund_id                 bigint      references refund (id),
    customer_id               bigint      references customer (id),
    total                     bigint      not null check (total >= 0),
    currency                  char(3)     not null,
    -- The receipt as built (company, client, items, payments, total), operator-neutral.
    document                  jsonb       not null,
    operator                  text        not null,
    operator_uuid             text,
    attempts                  integer     not null default 0,
    -- When a worker may next take it: a retry after backoff, the next status poll, or the end of a worker's
    -- lease (a worker that died mid-send leaves the receipt to the next one, which resends the same external_id).
    next_attempt_at           timestamptz not null,
    last_error                text,
    -- Fiscal attributes of a done receipt.
    fn_number                 text,
    fiscal_document_number    bigint,
    fiscal_document_attribute text,
    fiscal_receipt_number     bigint,
    shift_number              integer,
    registered_at             timestamptz,
    ecr_registration_number   text,
    fns_site                  text,
    ofd_receipt_url           text,
    created_at                timestamptz not null default now(),
    sent_at                   timestamptz,
    done_at                   timestamptz,
    updated_at                timestamptz not null default now()
);

create index receipt_due on receipt (state, next_attempt_at) where state in ('pending', 'waiting');
create index receipt_invoice on receipt (invoice_id);
create index receipt_payment on receipt (payment_id);
create index receipt_refund on receipt (refund_id);

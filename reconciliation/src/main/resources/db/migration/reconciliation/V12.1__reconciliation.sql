-- Reconciliation of the settlement registries (ingest) against the ledger: runs, a result per line and operation,
-- and the discrepancies accountants work on.


create table reconciliation_run (
    id                bigint generated always as identity primary key,
    provider          text        not null,
    business_date     date        not null,
    status            text        not null check (status in ('running', 'done', 'failed')),
    registry_lines    integer,
    ledger_operations integer,
    summary           jsonb,
    started_at        timestamptz not null default now(),
    finished_at       timestamptz
);

create index reconciliation_run_day on reconciliation_run (provider, business_date, id);

-- Every registry line and every ledger payment or refund of the day gets one result per run, with why.
create table reconciliation_result (
    run_id              bigint  not null references reconciliation_run (id),
    result              text    not null check (result in ('matched', 'amount_mismatch', 'fee_mismatch',
                                    'missing_in_registry', 'missing_in_ledger', 'duplicate_in_registry',
                                    'status_mismatch', 'other_day')),
    file_id             bigint,
    line_no             integer,
    payment_id          bigint,
    refund_id           bigint,
    operation           text    not null,
    provider_payment_id text,
    match_key           text,
    registry_amount     bigint,
    ledger_amount       bigint,
    registry_commission bigint,
    expected_commission bigint,
    currency            char(3) not null,
    why                 text    not null
);

create index reconciliation_result_run on reconciliation_result (run_id, result);

-- What an accountant works on: one open item per thing that did not match, kept across runs of the day.
create table discrepancy (
    id            bigint generated always as identity primary key,
    provider      text        not null,
    business_date date        not null,
    item_key      text        not null,
    result        text        not null,
    why           text        not null,
    amount        bigint,
    currency      char(3)     not null,
    status        text        not null check (status in ('open', 'resolved', 'cleared')),
    first_run_id  bigint      not null references reconciliation_run (id),
    last_run_id   bigint      not null references reconciliation_run (id),
    resolution    text,
    resolved_by   text,
    resolved_at   timestamptz,
    created_at    timestamptz not null default now(),
    unique (provider, business_date, item_key)
);

create index discrepancy_open on discrepancy (status, business_date);

create table discrepancy_comment (
    id             bigint generated always as identity primary key,
    discrepancy_id bigint      not null references discrepancy (id),
    author         text        not null,
    body           text        not null,
    created_at     timestamptz not null default now()
);

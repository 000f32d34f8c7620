-- The daily settlement chain of a provider's business day: intake -> import -> reconciliation -> reports, each
-- step starting when the one before it ended; a failed step stops the chain and says which and why. A start is an
-- attempt (the first, then re-runs); at most one attempt of a provider's day runs at a time, which is how two
-- processes (two catch-ups, a catch-up and the schedule) asked for the same day run it once.
create table settlement_chain (
    id            bigint generated always as identity primary key,
    provider      text        not null check (length(provider) between 1 and 100),
    business_date date        not null,
    attempt       integer     not null check (attempt >= 1),
    trigger       text        not null check (trigger in ('schedule', 'manual', 'catch_up')),
    state         text        not null check (state in ('running', 'completed', 'failed')),
    -- the batch worker running it: while its advisory lock (7040, worker) is held, the chain is alive
    worker_id     integer     not null,
    started_at    timestamptz not null default now(),
    ended_at      timestamptz,
    error         text,
    unique (provider, business_date, attempt),
    check ((state = 'running') = (ended_at is null)),
    check ((state = 'failed') = (error is not null))
);

create unique index settlement_chain_one_running on settlement_chain (provider, business_date)
    where state = 'running';
create index settlement_chain_day on settlement_chain (provider, business_date, state);

-- Its steps in order; a step that ran as a Spring Batch run (an import, the reconciliation, a report) links it.
create table settlement_chain_step (
    chain_id   bigint      not null references settlement_chain (id),
    position   smallint    not null check (position between 1 and 4),
    step       text        not null check (step in ('intake', 'import', 'reconciliation', 'reports')),
    state      text        not null check (state in ('pending', 'running', 'completed', 'failed', 'skipped')),
    job_run_id bigint      references batch_job_execution (job_execution_id),
    started_at timestamptz,
    ended_at   timestamptz,
    error      text,
    primary key (chain_id, position),
    unique (chain_id, step)
);

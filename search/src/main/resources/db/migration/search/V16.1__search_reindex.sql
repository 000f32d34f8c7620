-- Reindex runs of the search indices (io.kopek.search.Reindex): asked for by an operator (who, why, when: the audit
-- the API answers with), claimed by a batch process and run to the alias swap. A run whose claim is older than the
-- lease (its process died) is claimed again and starts over into a new generation; the half-built one is deleted.
create table search_reindex (
    id            bigint generated always as identity primary key,
    kind          text        not null,
    status        text        not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
    requested_by  text        not null,
    reason        text,
    requested_at  timestamptz not null default now(),
    claimed_at    timestamptz,
    finished_at   timestamptz,
    from_event_id bigint,
    new_index     text,
    old_indices   text,
    documents     bigint      not null default 0,
    attempts      int         not null default 0,
    error         text
);

create index search_reindex_due on search_reindex (status, id) where status in ('queued', 'running');

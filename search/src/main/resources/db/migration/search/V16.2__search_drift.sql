-- The drift check's results (io.kopek.search.DriftCheck): each check, and the days on which an index and PostgreSQL
-- disagreed (documents and the sum of amounts, minor units). The API answers with the last check's.
create table search_drift_check (
    id          bigint generated always as identity primary key,
    checked_at  timestamptz not null,
    from_day    date        not null,
    to_day      date        not null,
    differences int         not null
);

create table search_drift_difference (
    check_id bigint not null references search_drift_check (id) on delete cascade,
    kind     text   not null,
    day      date   not null,
    es_count bigint not null,
    db_count bigint not null,
    es_sum   bigint not null,
    db_sum   bigint not null,
    primary key (check_id, kind, day)
);

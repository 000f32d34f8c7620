-- The audit log of what people and machines did to the platform's jobs: schedules changed, paused and resumed,
-- runs triggered, stopped and restarted, days caught up. Append-only: a trigger refuses updates and deletes.

create table scheduler_audit (
    id         bigint generated always as identity primary key,
    at         timestamptz not null default now(),
    actor      text        not null check (length(actor) between 1 and 200),
    role       text        not null,
    action     text        not null,
    target     text        not null check (length(target) between 1 and 200),
    details    jsonb       not null default '{}',
    reason     text        check (length(reason) <= 1000)
);

create index scheduler_audit_at on scheduler_audit (at desc);

create function scheduler_audit_immutable() returns trigger language plpgsql as $$
begin
    raise exception 'the audit log is append-only' using errcode = 'KS001';
end $$;

create trigger scheduler_audit_immutable before update or delete on scheduler_audit
    for each row execute function scheduler_audit_immutable();

-- Report runs: what was asked, what was read and what was made. A succeeded run is immutable but for its expiry:
-- its parameters, watermark, figures and the file's SHA-256 prove what the file says.
create table report_run (
    id             bigint generated always as identity primary key,
    report         text        not null,
    format         text        not null,
    filters        jsonb       not null,
    csv_profile    text,
    csv_charset    text,
    state          text        not null default 'queued'
                               check (state in ('queued', 'running', 'succeeded', 'failed', 'expired')),
    -- Why a run was made when it was not a person's request (a reconciliation run's automatic report): unique, so
    -- an event handled twice asks once.
    origin         text        unique,
    requested_by   text        not null,
    requested_at   timestamptz not null default now(),
    started_at     timestamptz,
    finished_at    timestamptz,
    -- Fixed when the run first starts and kept for a restart: the last ledger entry read, and the time on the file.
    watermark      bigint,
    generated_at   timestamptz,
    progress_rows  bigint      not null default 0,
    row_count      bigint,
    control_totals jsonb,
    sha256         char(64),
    file_name      text,
    content_type   text,
    file_size      bigint,
    stored_as      text,
    failure        text,
    job_run_id     bigint,
    expires_at     timestamptz
);

create index report_run_queued on report_run (id) where state = 'queued';
create index report_run_expiring on report_run (expires_at) where state = 'succeeded';
create index report_run_report on report_run (report, id);

create function report_run_immutable() returns trigger language plpgsql as $$
begin
    if old.state = 'succeeded' and (
            new.state not in ('succeeded', 'expired')
            or (new.report, new.format, new.filters, new.csv_profile, new.csv_charset, new.watermark,
                new.generated_at, new.row_count, new.control_totals, new.sha256, new.file_name, new.file_size)
               is distinct from
               (old.report, old.format, old.filters, old.csv_profile, old.csv_charset, old.watermark,
                old.generated_at, old.row_count, old.control_totals, old.sha256, old.file_name, old.file_size)) then
        raise exception 'report run % succeeded and is immutable', old.id;
    end if;
    if old.state = 'expired' and new is distinct from old then
        raise exception 'report run % expired', old.id;
    end if;
    return new;
end $$;

create trigger report_run_immutable before update on report_run
    for each row execute function report_run_immutable();

-- What each imported registry file settles, per currency: written by the import in the transaction of its lines
-- (io.kopek.ingest.RegistryImport sums them as they stream into COPY), so that what a provider settled over a month
-- or since its first registry is a sum over files, not over every line again.

create table registry_file_total (
    file_id        bigint  not null references registry_file (id),
    currency       char(3) not null,
    lines          integer not null,
    commission     bigint  not null,
    settled_amount bigint  not null,
    primary key (file_id, currency)
);

-- The files imported before: their totals from their lines.
insert into registry_file_total (file_id, currency, lines, commission, settled_amount)
select l.file_id, l.currency, count(*), sum(l.commission), sum(l.settled_amount)
from registry_line l
join registry_file f on f.id = l.file_id
where f.status = 'imported'
group by l.file_id, l.currency;

-- What the intake publishes to the reports (the 1C bank statement): per provider, business day and currency, the
-- lines its imported registries hold, their commission and what they settle (signed: payments in, refunds out,
-- commission kept); the sums of registry_imported_line's, a row per day.
create view registry_imported_day as
select f.provider, f.business_date, t.currency, sum(t.lines)::bigint as lines,
       sum(t.commission)::bigint as commission, sum(t.settled_amount)::bigint as settled_amount
from registry_file f
join registry_file_total t on t.file_id = f.id
where f.status = 'imported'
group by f.provider, f.business_date, t.currency;

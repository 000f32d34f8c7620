-- The payment ids a registry file holds on more than one line, found by the import as the lines stream into COPY
-- (io.kopek.ingest.RegistryImport), written in the transaction of its lines. The reconciliation looks for copies and
-- ranks several lines of one payment id only among these: a day of a million lines has a few thousand of them, and
-- finding them afterwards took a hash aggregate over the whole day (1.2-1.7 s of a 1,000,000-line day, 2026-12-05,
-- issue 20). A payment id listed that is not repeated (two ids whose hashes met) costs a line ranked alone, nothing
-- else.
create table registry_repeated_payment_id (
    file_id             bigint not null references registry_file (id),
    provider_payment_id text   not null,
    primary key (file_id, provider_payment_id)
);

-- Files imported before this (and lines written by other means than the import) have no list: repeats_listed says
-- which files do.
alter table registry_file add column repeats_listed boolean not null default false;

-- What the intake publishes to the reconciliation: per provider's business day whose repeated payment ids are known
-- (its one imported file listed them; lines of a payment id may also repeat across the files of a day of several,
-- which no file's list shows), those payment ids. A day not in registry_repeats_known_day is to be searched whole.
create view registry_repeats_known_day as
select f.provider, f.business_date
from registry_file f
where f.status = 'imported'
group by f.provider, f.business_date
having count(*) = 1 and bool_and(f.repeats_listed);

create view registry_imported_repeated_payment_id as
select f.provider, f.business_date, r.provider_payment_id
from registry_file f
join registry_repeated_payment_id r on r.file_id = f.id
where f.status = 'imported';

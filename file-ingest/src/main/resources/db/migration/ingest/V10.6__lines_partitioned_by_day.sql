-- Registry lines partitioned by their registry's business day (declarative partitioning, a range of one day per
-- partition, named registry_line_<yyyymmdd> as io.kopek.partition.DayPartitions names them). At 10^9 lines a month a
-- day is some 33 million lines: a partition per day keeps each index the size of a day, lets the reconciliation of a
-- day read one partition only (registry_imported_line now gives the line's own business_date, which the planner
-- prunes by), and lets retention drop a day whole (detach, drop) instead of deleting its rows.
--
-- The line carries its day (business_date, its file's): the partition key must be a column of the table. The import
-- makes the day's partition before it copies the lines in (io.kopek.ingest.RegistryLinePartitions). There is no
-- default partition: a line of a day without its partition is refused, not hidden in a catch-all, and a default
-- partition would forbid DETACH ... CONCURRENTLY (retention) and make each new day's attach scan it.
--
-- registry_line has no primary key, no unique constraint and no foreign key in or out, so none has to take the
-- partition key in; nothing writes it with ON CONFLICT.

-- An import of the version before must not add lines while they are moved (readers may go on).
lock table registry_line in exclusive mode;

-- Lines exist only for imported files, which have their day (the lines and the file's status commit together):
-- anything else would be lost below, so it stops the migration instead.
do $$
declare
    orphans bigint;
begin
    select count(*) into orphans
    from registry_line l
    left join registry_file f on f.id = l.file_id
    where f.business_date is null;
    if orphans > 0 then
        raise exception 'ingest/V10.6: % registry lines belong to no file with a business date; nothing was changed',
            orphans;
    end if;
end
$$;

create table registry_line_by_day (
    like registry_line including defaults,
    business_date date not null
) partition by range (business_date);

-- The days the lines already there need.
do $$
declare
    day date;
begin
    for day in
        select distinct f.business_date
        from registry_file f
        where exists (select 1 from registry_line l where l.file_id = f.id)
        order by 1
    loop
        execute format('create table %I partition of registry_line_by_day for values from (%L) to (%L)',
                       'registry_line_' || to_char(day, 'YYYYMMDD'), day, day + 1);
    end loop;
end
$$;

insert into registry_line_by_day
select l.*, f.business_date
from registry_line l
join registry_file f on f.id = l.file_id;

-- What was moved is what there was: per file, its lines, amounts, commissions and settlements.
do $$
declare
    differing bigint;
begin
    select count(*) into differing
    from (select file_id, count(*) as n, sum(amount) as amount, sum(commission) as commission,
                 sum(settled_amount) as settled, max(line_no) as last_line
          from registry_line group by file_id) a
    full join (select file_id, count(*) as n, sum(amount) as amount, sum(commission) as commission,
                      sum(settled_amount) as settled, max(line_no) as last_line
               from registry_line_by_day group by file_id) b using (file_id)
    where a.n is distinct from b.n or a.amount is distinct from b.amount
       or a.commission is distinct from b.commission or a.settled is distinct from b.settled
       or a.last_line is distinct from b.last_line;
    if differing > 0 then
        raise exception 'ingest/V10.6: the lines of % files differ after the move', differing;
    end if;
end
$$;

drop view registry_imported_line;
drop table registry_line;
alter table registry_line_by_day rename to registry_line;

-- Defined on the parent: every partition has them, the ones made later too (indexes built once the rows are in).
create index registry_line_file on registry_line (file_id);

-- As ingest/V10.3 added it: lines imported before that rule are not read again; every partition made from now on
-- checks all of its lines, COPY included.
alter table registry_line
    add constraint registry_line_no_card_number check (
        not ingest_holds_pan(provider_payment_id)
        and not ingest_holds_pan(order_number)
        and not ingest_holds_pan(card_mask)) not valid;

-- As ingest/V10.2 published it, the day now the line's own (the same as its file's): a reader's condition on
-- business_date picks the day's partitions.
create view registry_imported_line as
select f.provider, l.business_date, l.file_id, l.line_no, l.provider_payment_id, l.order_number, l.operation,
       l.amount, l.commission, l.settled_amount, l.currency, l.operated_at
from registry_file f
join registry_line l on l.file_id = f.id
where f.status = 'imported';

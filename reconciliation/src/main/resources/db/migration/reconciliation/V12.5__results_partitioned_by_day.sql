-- Results partitioned by the business day of their run (declarative partitioning, a range of one day per partition,
-- named reconciliation_result_<yyyymmdd> as io.kopek.partition.DayPartitions names them). A day of a million lines
-- writes two million results per run: a partition per day keeps the block range index and the partial index of the
-- unmatched the size of a day, and lets retention drop a day whole (detach, drop) instead of deleting its rows.
--
-- A result carries its run's day (business_date, a new column: the partition key must be a column of the table);
-- the run's statements write it (:day, io.kopek.reconciliation.Sql) into the partition the run makes first
-- (io.kopek.reconciliation.ResultPartitions). No default partition: a result of a day without its partition is
-- refused, not hidden in a catch-all, and a default partition would forbid DETACH ... CONCURRENTLY (retention).
--
-- reconciliation_result has no primary key, no unique constraint and no foreign key in or out (reconciliation/V12.2
-- dropped the one to its run), so none has to take the partition key in; nothing writes it with ON CONFLICT.

-- A run of the version before must not add results while they are moved (readers may go on).
lock table reconciliation_result in exclusive mode;

-- Every result's run is there (a run's results are written in its transaction, after its row): a result without
-- one would be lost below, so it stops the migration instead.
do $$
declare
    orphans bigint;
begin
    select count(*) into orphans
    from reconciliation_result r
    where not exists (select 1 from reconciliation_run u where u.id = r.run_id);
    if orphans > 0 then
        raise exception 'reconciliation/V12.5: % results belong to no run; nothing was changed', orphans;
    end if;
end
$$;

-- Whatever columns the results have by now (with their checks), and the day.
create table reconciliation_result_by_day (
    like reconciliation_result including defaults including constraints,
    business_date date not null
) partition by range (business_date);

do $$
declare
    day date;
begin
    for day in
        select distinct u.business_date
        from reconciliation_run u
        where exists (select 1 from reconciliation_result r where r.run_id = u.id)
        order by 1
    loop
        execute format('create table %I partition of reconciliation_result_by_day for values from (%L) to (%L)',
                       'reconciliation_result_' || to_char(day, 'YYYYMMDD'), day, day + 1);
    end loop;
end
$$;

insert into reconciliation_result_by_day
select r.*, u.business_date
from reconciliation_result r
join reconciliation_run u on u.id = r.run_id;

-- What was moved is what there was: per run and result, how many and how much.
do $$
declare
    differing bigint;
begin
    select count(*) into differing
    from (select run_id, result, count(*) as n, sum(coalesce(registry_amount, 0)) as registry,
                 sum(coalesce(ledger_amount, 0)) as ledger, sum(coalesce(registry_commission, 0)) as commission
          from reconciliation_result group by run_id, result) a
    full join (select run_id, result, count(*) as n, sum(coalesce(registry_amount, 0)) as registry,
                      sum(coalesce(ledger_amount, 0)) as ledger, sum(coalesce(registry_commission, 0)) as commission
               from reconciliation_result_by_day group by run_id, result) b using (run_id, result)
    where a.n is distinct from b.n or a.registry is distinct from b.registry or a.ledger is distinct from b.ledger
       or a.commission is distinct from b.commission;
    if differing > 0 then
        raise exception 'reconciliation/V12.5: the results of % runs and classes differ after the move', differing;
    end if;
end
$$;

drop view reconciliation_result_line;
drop table reconciliation_result;
alter table reconciliation_result_by_day rename to reconciliation_result;

-- As reconciliation/V12.2 made them, defined on the parent: every partition has them, the ones made later too. A
-- day's results go into a partition made for them after its index: autosummarize has each block range summarized
-- once it is full, or the ranges stay unsummarized (read whole by every look-up) until a vacuum of the partition.
create index reconciliation_result_run on reconciliation_result using brin (run_id) with (autosummarize = on);
create index reconciliation_result_unmatched on reconciliation_result (run_id, result) where result <> 'matched';

-- As reconciliation/V12.3 published it, with the run's day: a reader that knows the day (a report of days, a run
-- looked up by id) says it, and reads that day's partition only.
create view reconciliation_result_line as
select r.run_id, r.business_date, r.result, r.file_id, r.line_no, r.payment_id, r.refund_id, r.operation,
       r.provider_payment_id, r.match_key, r.registry_amount, r.ledger_amount, r.registry_commission,
       r.expected_commission, r.currency,
       coalesce(r.why, 'matched by ' || r.match_key) as why,
       case when r.file_id is not null then 'line:' || r.file_id || ':' || r.line_no
            when r.refund_id is not null then 'refund:' || r.refund_id
            else 'payment:' || r.payment_id end as item_key
from reconciliation_result r;

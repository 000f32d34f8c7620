-- The close's tally no longer reads the day's results back (a million rows a million lines: 0.5-0.8 s of the close,
-- one backend, 2026-12-05, issue 20). What the payment id matched, nearly every result, each partition counts as it
-- finishes, from what it has read anyway (io.kopek.reconciliation.Sql): every first copy of a line of its share is
-- matched by the payment id unless its result says otherwise, and those that say otherwise are the few that the
-- partial index below holds. The close adds the partitions' counts to the rest, read through that index.

-- What a partition matched by the payment id, per currency: how many lines, their amount and their commission.
create table reconciliation_partition_matched (
    run_id       bigint  not null,
    partition_no integer not null,
    currency     char(3) not null,
    lines        bigint  not null,
    amount       bigint  not null,
    commission   bigint  not null,
    primary key (run_id, partition_no, currency),
    foreign key (run_id, partition_no) references reconciliation_partition (run_id, partition_no)
);

-- Every result but the payment id's matches: the unmatched (discrepancies, the partitions' unpaired) as before, and
-- the close's matches by invoice number or amount and time, so that the tally reads all it does not count by
-- partition through one index.
drop index reconciliation_result_unmatched;
create index reconciliation_result_unmatched on reconciliation_result (run_id, result)
    where result <> 'matched' or match_key <> 'provider_payment_id';

-- A run open at the upgrade closes with the new tally: its partitions done before count their matches now.
insert into reconciliation_partition_matched (run_id, partition_no, currency, lines, amount, commission)
select p.run_id, p.partition_no, r.currency, count(*), coalesce(sum(r.registry_amount), 0),
       coalesce(sum(r.registry_commission), 0)
from reconciliation_partition p
join reconciliation_run u on u.id = p.run_id and u.status = 'running'
join reconciliation_result r on r.business_date = u.business_date and r.run_id = p.run_id
where r.result = 'matched' and r.match_key = 'provider_payment_id'
  and reconciliation_bucket(r.provider_payment_id, u.partitions) = p.partition_no
group by p.run_id, p.partition_no, r.currency;

-- A run's tally (per result and currency: how many, how much, the commission of the matched lines) counted by the
-- statements that write the results, as they write them, instead of read back from a day's two million results at
-- the close (0.3 to 0.5 s of a million-line day). Each partition writes its share in its own transaction, the close
-- its own (partition_no null); the close adds them up.
create table reconciliation_tally (
    run_id             bigint  not null references reconciliation_run (id),
    partition_no       integer,
    result             text    not null,
    currency           char(3) not null,
    n                  bigint  not null,
    amount             bigint  not null,
    matched_commission bigint  not null
);

create index reconciliation_tally_run on reconciliation_tally (run_id);

-- Whether the partition wrote its share of the tally: a partition done by the version before did not, and a run
-- that has one is tallied from its results, as before.
alter table reconciliation_partition add column tallied boolean not null default false;

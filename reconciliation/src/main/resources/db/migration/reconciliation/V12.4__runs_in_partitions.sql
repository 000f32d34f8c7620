-- A run reconciles its day in partitions, by a hash of the provider's payment id, which may run at once in several
-- threads or processes (Spring Batch partitioning, local or over RabbitMQ), then closes in one transaction. What a
-- partition pairs by the payment id it writes to reconciliation_result at once; what it leaves unpaired waits in the
-- two tables below for the close, which tries the keys that cross partitions (invoice number, amount and time).

alter table reconciliation_run add column partitions integer not null default 1 check (partitions between 1 and 1024);

-- A partition done: written in the partition's own transaction with its results, so a partition runs at most once
-- per run; the day's counts and settlement sums of its share, which the close adds up.
create table reconciliation_partition (
    run_id              bigint  not null references reconciliation_run (id),
    partition_no        integer not null,
    registry_lines      integer not null,
    ledger_operations   integer not null,
    registry_settles    bigint  not null,
    registry_commission bigint  not null,
    ledger_expects      bigint  not null,
    finished_at         timestamptz not null default clock_timestamp(),
    primary key (run_id, partition_no)
);

-- A registry line no partition could pair by payment id, with what the close needs to try the other keys:
-- invoice_ref (our invoice number, directly or through the card payment's order number) and other_operations (the
-- ledger's operations of its payment id this day that are not its own, for a status mismatch).
create table reconciliation_unpaired_line (
    run_id              bigint      not null,
    file_id             bigint      not null,
    line_no             integer     not null,
    provider_payment_id text,
    invoice_ref         text,
    operation           text        not null,
    amount              bigint      not null,
    commission          bigint,
    currency            char(3)     not null,
    operated_at         timestamptz not null,
    other_operations    text
);

create index reconciliation_unpaired_line_run on reconciliation_unpaired_line (run_id);

-- A ledger payment or refund no partition could pair by payment id.
create table reconciliation_unpaired_operation (
    run_id              bigint      not null,
    idx                 bigint      not null,
    payment_id          bigint      not null,
    refund_id           bigint,
    invoice_number      text,
    ledger_operation    text        not null,
    ledger_ppid         text,
    ledger_amount       bigint      not null,
    ledger_currency     char(3)     not null,
    ledger_at           timestamptz not null,
    expected_commission bigint
);

create index reconciliation_unpaired_operation_run on reconciliation_unpaired_operation (run_id);

-- The partition of a provider payment id (null: the empty text) among n: the same in every statement that splits.
create function reconciliation_bucket(provider_payment_id text, n integer) returns integer
    language sql immutable parallel safe
    return (hashtext(coalesce(provider_payment_id, '')) & 2147483647) % n;

-- The double-entry ledger: accounts, transactions chosen by the caller's id, immutable entries.
-- Balances are kept on the account row (posted and pending, per side) in the style of TigerBeetle, so
-- reading a balance is one row and the no-negative rule is checked under that row's lock.

create table ledger_account (
    id              bigint generated always as identity primary key,
    code            text        not null unique,
    currency        char(3)     not null,
    normal_side     char(1)     not null check (normal_side in ('D', 'C')),
    allow_negative  boolean     not null default false,
    debits_posted   bigint      not null default 0 check (debits_posted >= 0),
    credits_posted  bigint      not null default 0 check (credits_posted >= 0),
    debits_pending  bigint      not null default 0 check (debits_pending >= 0),
    credits_pending bigint      not null default 0 check (credits_pending >= 0),
    created_at      timestamptz not null default now()
);

create table ledger_transaction (
    id         uuid        primary key,
    kind       text        not null,
    reference  text,
    posted_at  timestamptz not null default now()
);

create index ledger_transaction_reference on ledger_transaction (reference) where reference is not null;

create table ledger_entry (
    id             bigint generated always as identity primary key,
    transaction_id uuid    not null references ledger_transaction (id),
    account_id     bigint  not null references ledger_account (id),
    side           char(1) not null check (side in ('D', 'C')),
    amount         bigint  not null check (amount > 0),
    currency       char(3) not null
);

create index ledger_entry_account on ledger_entry (account_id, id);
create index ledger_entry_transaction on ledger_entry (transaction_id);

-- Safety net under the Java check: the entries one statement writes must balance per transaction and
-- currency. All entries of a transaction are written by one statement, so this is the whole invariant.
create function ledger_entries_balance() returns trigger language plpgsql as $$
declare
    unbalanced record;
begin
    select transaction_id, currency,
           sum(case side when 'D' then amount else -amount end) as difference
      into unbalanced
      from new_entries
     group by transaction_id, currency
    having sum(case side when 'D' then amount else -amount end) <> 0
     limit 1;
    if found then
        raise exception 'ledger transaction % is unbalanced in %: debits - credits = %',
            unbalanced.transaction_id, unbalanced.currency, unbalanced.difference
            using errcode = '23514';
    end if;
    return null;
end $$;

create trigger ledger_entry_balanced
    after insert on ledger_entry
    referencing new table as new_entries
    for each statement execute function ledger_entries_balance();

-- Entries are facts: corrections are new transactions, never edits.
create function ledger_entries_are_immutable() returns trigger language plpgsql as $$
begin
    raise exception 'ledger entries are immutable; post a correcting transaction instead'
        using errcode = '55000';
end $$;

create trigger ledger_entry_immutable
    before update or delete on ledger_entry
    for each row execute function ledger_entries_are_immutable();

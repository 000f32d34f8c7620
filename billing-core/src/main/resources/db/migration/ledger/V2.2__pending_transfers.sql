-- Pending transfers (TigerBeetle's two-phase transfers): money reserved on the debit account until the transfer
-- is posted (fully or in part, the rest voided), voided, or it expires. Holds are billing's view of them.

create table ledger_pending_transfer (
    id                  uuid        primary key,
    debit_account_id    bigint      not null references ledger_account (id),
    credit_account_id   bigint      not null references ledger_account (id),
    amount              bigint      not null check (amount > 0),
    currency            char(3)     not null,
    status              text        not null check (status in ('pending', 'posted', 'voided', 'expired')),
    credit_limit        bigint      not null default 0 check (credit_limit >= 0),
    posted_amount       bigint      check (posted_amount > 0 and posted_amount <= amount),
    expires_at          timestamptz not null,
    created_at          timestamptz not null default now(),
    resolved_at         timestamptz,
    posting_transaction uuid        references ledger_transaction (id)
);

create index ledger_pending_transfer_due on ledger_pending_transfer (expires_at) where status = 'pending';

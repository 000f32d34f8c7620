-- Billing: invoices with gap-free numbers, their lines, holds (over the ledger's pending transfers), payments and
-- refunds.

create table invoice_counter (
    merchant_id bigint  not null references merchant (id),
    year        integer not null,
    last_number integer not null,
    primary key (merchant_id, year)
);

create table invoice (
    id              bigint generated always as identity primary key,
    merchant_id     bigint      not null references merchant (id),
    customer_id     bigint      not null references customer (id),
    number          text        not null unique,
    order_ref       text,
    currency        char(3)     not null,
    status          text        not null check (status in ('issued', 'partially_paid', 'paid', 'overdue',
                                                           'cancelled', 'partially_refunded', 'refunded')),
    issue_date      date        not null,
    due_date        date        not null,
    total           bigint      not null check (total >= 0),
    vat_total       bigint      not null check (vat_total >= 0),
    paid_amount     bigint      not null default 0 check (paid_amount >= 0 and paid_amount <= total),
    refunded_amount bigint      not null default 0 check (refunded_amount >= 0 and refunded_amount <= paid_amount),
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    unique (merchant_id, order_ref)
);

create index invoice_customer on invoice (customer_id, id);
create index invoice_status_due on invoice (status, due_date);

create table invoice_line (
    invoice_id  bigint        not null references invoice (id),
    line_no     integer       not null,
    product_id  bigint        not null references product (id),
    name        text          not null,
    category    text          not null,
    quantity    numeric(12,3) not null check (quantity > 0),
    list_price  bigint        not null,
    unit_price  bigint        not null,
    amount      bigint        not null check (amount >= 0),
    vat_code    text          not null,
    vat_rate_bp integer       not null,
    vat_amount  bigint        not null check (vat_amount >= 0),
    rule_id     bigint        not null references billing_rule (id),
    -- What refunds have taken back from this line so far (VAT rounded cumulatively, so a full refund
    -- returns exactly the line's VAT).
    refunded_amount bigint    not null default 0,
    refunded_vat    bigint    not null default 0,
    primary key (invoice_id, line_no)
);

create table hold (
    id              bigint generated always as identity primary key,
    invoice_id      bigint      not null references invoice (id),
    customer_id     bigint      not null references customer (id),
    source          text        not null check (source in ('balance', 'card')),
    amount          bigint      not null check (amount > 0),
    currency        char(3)     not null,
    captured_amount bigint      check (captured_amount > 0 and captured_amount <= amount),
    status          text        not null check (status in ('active', 'captured', 'released', 'expired')),
    expires_at      timestamptz not null,
    transfer_id     uuid        not null unique references ledger_pending_transfer (id),
    created_at      timestamptz not null default now(),
    resolved_at     timestamptz
);

create index hold_invoice on hold (invoice_id);
create index hold_customer on hold (customer_id, id);
create index hold_active_due on hold (expires_at) where status = 'active';

create table payment (
    id              bigint generated always as identity primary key,
    invoice_id      bigint      references invoice (id),
    customer_id     bigint      not null references customer (id),
    purpose         text        not null check (purpose in ('invoice', 'top_up')),
    method          text        not null check (method in ('balance', 'bank_transfer', 'card')),
    provider        text,
    status          text        not null check (status in ('succeeded')),
    amount          bigint      not null check (amount > 0),
    currency        char(3)     not null,
    refunded_amount bigint      not null default 0 check (refunded_amount >= 0 and refunded_amount <= amount),
    reference       text,
    hold_id         bigint      references hold (id),
    created_at      timestamptz not null default now(),
    check ((purpose = 'invoice') = (invoice_id is not null))
);

create index payment_invoice on payment (invoice_id);
create index payment_customer on payment (customer_id, id);

create table refund (
    id          bigint generated always as identity primary key,
    invoice_id  bigint      not null references invoice (id),
    payment_id  bigint      not null references payment (id),
    amount      bigint      not null check (amount > 0),
    currency    char(3)     not null,
    reason      text,
    created_at  timestamptz not null default now()
);

create index refund_invoice on refund (invoice_id);

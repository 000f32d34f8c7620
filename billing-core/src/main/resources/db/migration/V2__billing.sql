-- Billing: merchants, customers, products, effective-dated rules and VAT rates, invoices, payments, refunds,
-- holds (ledger pending transfers), the transactional outbox, API keys and idempotency records.

-- Ledger pending transfers: a hold reserves money on the debit account until it is posted (fully or in
-- part, the rest voided), voided, or it expires.
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

create table merchant (
    id         bigint generated always as identity primary key,
    code       text        not null unique check (code ~ '^[A-Z0-9]{2,12}$'),
    name       text        not null,
    inn        text        check (inn ~ '^[0-9]{10}([0-9]{2})?$'),
    created_at timestamptz not null default now()
);

create table customer (
    id         bigint generated always as identity primary key,
    type       text        not null check (type in ('individual', 'sole_proprietor', 'company')),
    name       text        not null,
    email      text,
    phone      text,
    inn        text        check (inn ~ '^[0-9]{10}([0-9]{2})?$'),
    created_at timestamptz not null default now()
);

create table product (
    id          bigint generated always as identity primary key,
    merchant_id bigint      not null references merchant (id),
    sku         text        not null,
    name        text        not null,
    category    text        not null,
    unit_price  bigint      not null check (unit_price >= 0),
    currency    char(3)     not null,
    measure     text        not null default 'piece',
    created_at  timestamptz not null default now(),
    unique (merchant_id, sku)
);

-- VAT rates by date. A line's rate is the one in force on the invoice date (Art. 164 of the Tax Code;
-- the standard rate is 22 % from 2026-01-01 under Federal Law 425-FZ).
create table vat_rate (
    code       text    not null,
    rate_bp    integer not null check (rate_bp >= 0),
    valid_from date    not null,
    valid_to   date,
    primary key (code, valid_from),
    check (valid_to is null or valid_to >= valid_from)
);

insert into vat_rate (code, rate_bp, valid_from, valid_to) values
    ('standard', 2000, '2019-01-01', '2025-12-31'),
    ('standard', 2200, '2026-01-01', null),
    ('reduced',  1000, '2000-01-01', null),
    ('zero',        0, '2000-01-01', null),
    ('none',        0, '2000-01-01', null),
    ('usn5',      500, '2025-01-01', null),
    ('usn7',      700, '2025-01-01', null);

-- Billing rules per product category x customer type ('*' matches any), effective-dated. A rule is never
-- edited: a change is a new rule from a later date, and invoice lines keep the id of the rule that priced them.
create table billing_rule (
    id                    bigint generated always as identity primary key,
    category              text        not null,
    customer_type         text        not null check (customer_type in ('*', 'individual', 'sole_proprietor', 'company')),
    valid_from            date        not null,
    valid_to              date,
    price_adjustment_bp   integer     not null default 0 check (price_adjustment_bp > -10000),
    commission_bp         integer     not null default 0 check (commission_bp >= 0),
    commission_fixed      bigint      not null default 0 check (commission_fixed >= 0),
    vat_code              text        not null,
    hold_first            boolean     not null default false,
    hold_lifetime_seconds integer     check (hold_lifetime_seconds > 0),
    payment_methods       text[]      not null,
    providers             text[]      not null default '{}',
    credit_limit          bigint      not null default 0 check (credit_limit >= 0),
    created_at            timestamptz not null default now(),
    check (valid_to is null or valid_to >= valid_from)
);

create index billing_rule_key on billing_rule (category, customer_type, valid_from);

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

-- The transactional outbox: written in the same transaction as the change it announces.
create table outbox_event (
    id             bigint generated always as identity primary key,
    event_id       uuid        not null unique,
    type           text        not null,
    aggregate_type text        not null,
    aggregate_id   text        not null,
    payload        jsonb       not null,
    occurred_at    timestamptz not null default now(),
    published_at   timestamptz
);

create index outbox_event_unpublished on outbox_event (id) where published_at is null;

create table api_key (
    id          bigint generated always as identity primary key,
    prefix      text        not null unique,
    secret_hash bytea       not null,
    role        text        not null check (role in ('customer', 'accountant', 'finance', 'operator', 'admin')),
    customer_id bigint      references customer (id),
    name        text        not null,
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz,
    check ((role = 'customer') = (customer_id is not null))
);

create table idempotency_record (
    api_key_id            bigint      not null references api_key (id),
    key                   text        not null,
    request_hash          bytea       not null,
    method                text        not null,
    path                  text        not null,
    -- Filled in the same transaction as the request's effect; a record without a response is never seen
    -- by another request, because it is inserted in that transaction too.
    response_status       integer,
    response_content_type text,
    response_body         bytea,
    created_at            timestamptz not null default now(),
    primary key (api_key_id, key)
);

-- Pricing: VAT rates by date and effective-dated billing rules.

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

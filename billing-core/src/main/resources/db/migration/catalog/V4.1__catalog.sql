-- Merchants and their products (list price incl. VAT, category).

create table merchant (
    id         bigint generated always as identity primary key,
    code       text        not null unique check (code ~ '^[A-Z0-9]{2,12}$'),
    name       text        not null,
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

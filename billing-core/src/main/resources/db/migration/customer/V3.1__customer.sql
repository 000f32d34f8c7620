-- Customers: who is invoiced, and how to reach them for receipts and notifications.

create table customer (
    id         bigint generated always as identity primary key,
    type       text        not null check (type in ('individual', 'sole_proprietor', 'company')),
    name       text        not null,
    email      text,
    phone      text,
    inn        text        check (inn ~ '^[0-9]{10}([0-9]{2})?$'),
    created_at timestamptz not null default now()
);

-- This installation's identity: made once, at random, when the database is created, and kept with the data. Keys that
-- leave Kopek for a shared outside account (ATOL's external_id, a provider's order number) carry it, so two
-- installations, or a test copy, sharing an operator group or a merchant account never collide. A database restored
-- from a backup keeps it; that case is caught by checking that a "registered before" answer is our document.
create table installation (
    singleton  boolean primary key default true check (singleton),
    id         text    not null check (id ~ '^[a-z0-9]{8}$'),
    created_at timestamptz not null default now()
);
insert into installation (id) values (substr(replace(gen_random_uuid()::text, '-', ''), 1, 8));

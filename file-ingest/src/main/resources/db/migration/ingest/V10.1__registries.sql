-- Settlement registries as the providers deliver them.

-- One row per file a provider delivered, identified by provider + name + content: a re-delivered file is
-- recognised and not imported twice.
create table registry_file (
    id             bigint generated always as identity primary key,
    provider       text        not null,
    name           text        not null,
    sha256         bytea       not null,
    business_date  date,
    status         text        not null check (status in ('received', 'imported', 'quarantined')),
    reason         text,
    line_count     integer     not null default 0,
    rejected_count integer     not null default 0,
    received_at    timestamptz not null default now(),
    imported_at    timestamptz,
    unique (provider, name, sha256)
);

-- The lines of imported registries, loaded with COPY: no keys or foreign keys to maintain per row, one index
-- (by file: a provider's day is its files). The file's row says whose and which day.
create table registry_line (
    file_id             bigint      not null,
    line_no             integer     not null,
    provider_payment_id text,
    order_number        text,
    operation           text        not null,
    amount              bigint      not null,
    commission          bigint      not null,
    -- signed: what the line adds to the provider's transfer (amount - commission, or -amount - commission)
    settled_amount      bigint      not null,
    currency            char(3)     not null,
    operated_at         timestamptz not null,
    card_mask           text,
    pan_masked          boolean     not null default false
);

create index registry_line_file on registry_line (file_id);
create index registry_file_day on registry_file (provider, business_date) where status = 'imported';

-- Lines of a well-formed file that could not be read, with why.
create table registry_line_rejected (
    file_id bigint  not null references registry_file (id),
    line_no integer not null,
    reason  text    not null,
    -- the line held a full card number, masked before anything was stored
    pan_masked boolean not null default false,
    primary key (file_id, line_no)
);

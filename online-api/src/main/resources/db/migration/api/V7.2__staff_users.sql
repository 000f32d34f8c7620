-- People who sign in to the console (staff users, not API keys) and their sessions, kept here so that every
-- instance behind a proxy knows every session. Idempotency records become the key's or the user's.

create table staff_user (
    id                  bigint generated always as identity primary key,
    login               text        not null check (length(login) between 1 and 64),
    display_name        text        not null check (length(display_name) between 1 and 200),
    -- Staff only: customers use their API keys.
    role                text        not null check (role in ('accountant', 'finance', 'operator', 'admin')),
    -- '{id}' + the encoder's own format (e.g. {argon2}$argon2id$v=19$...): the prefix lets the hash be upgraded
    -- later without a migration. Never a password in clear.
    password_hash       text        not null check (password_hash like '{%}%'),
    failed_attempts     integer     not null default 0 check (failed_attempts >= 0),
    locked_until        timestamptz,
    disabled            boolean     not null default false,
    created_at          timestamptz not null,
    last_sign_in_at     timestamptz,
    password_changed_at timestamptz not null
);

-- "Admin" and "admin" are one login.
create unique index staff_user_login on staff_user (lower(login));

create table staff_session (
    -- SHA-256 of the session id the cookie carries: the table alone lets no one in.
    id_hash      bytea       primary key check (length(id_hash) = 32),
    user_id      bigint      not null references staff_user (id) on delete cascade,
    -- Sent back as X-CSRF-Token with every request that changes something; useless without the cookie.
    csrf_token   text        not null,
    created_at   timestamptz not null,
    -- Sliding idle timeout from here; refreshed at most once a minute, not on every request.
    last_seen_at timestamptz not null,
    -- The absolute end, however active the session.
    expires_at   timestamptz not null
);

create index staff_session_user on staff_session (user_id);
create index staff_session_expiry on staff_session (expires_at);

-- An idempotency key is a key's or a user's: a user's keys never collide with an API key's or another user's.
-- Exactly one of the two is set; each has its own unique (owner, key), which a concurrent duplicate waits on as
-- it did on the primary key.
create unique index idempotency_record_key_key on idempotency_record (api_key_id, key);
alter table idempotency_record
    drop constraint idempotency_record_pkey,
    alter column api_key_id drop not null,
    add column staff_user_id bigint references staff_user (id),
    add constraint idempotency_record_key_unique unique using index idempotency_record_key_key,
    add constraint idempotency_record_user_unique unique (staff_user_id, key),
    add constraint idempotency_record_one_owner check (num_nonnulls(api_key_id, staff_user_id) = 1);

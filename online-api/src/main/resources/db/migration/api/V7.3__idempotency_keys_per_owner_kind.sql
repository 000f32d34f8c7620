-- An idempotency key is unique per owner (V7.2), now by unique indexes over only the records of that kind of owner.
-- The unique constraints indexed every record twice, once under its owner and once under a null owner of the other
-- kind, which can never conflict (a unique index treats nulls as distinct): each API request that an API key sends
-- wrote an entry into the users' index for nothing, and the records are the API's busiest insert. The partial
-- indexes hold the same rule; a concurrent duplicate still waits on the index its owner's kind selects, and
-- ON CONFLICT DO NOTHING (with no target) arbitrates on every unique index, partial ones included. The lookups
-- (owner = ? and key = ?) imply the owner is set and use them.
alter table idempotency_record
    drop constraint idempotency_record_key_unique,
    drop constraint idempotency_record_user_unique;
create unique index idempotency_record_key_unique on idempotency_record (api_key_id, key)
    where api_key_id is not null;
create unique index idempotency_record_user_unique on idempotency_record (staff_user_id, key)
    where staff_user_id is not null;

-- The SQL of a batch of holds, then of a batch of their captures, as the API's group commit sends it (HoldBatches:
-- invoice_lock_all, hold_place_each, hold_capture_each and Idempotency.keep; each batch one transaction), for
-- pgbench: what the database alone can do for the API when :batch requests of a kind are committed together.
-- Variables: as api-pair.sql, and batch. Each client's items share its invoice (the API's batches never do, but
-- the work per item is the same). pgbench reads ':name' as a variable even inside a string, hence the account codes
-- put together around chr(58).
\set inv :inv_base + :client_id
\set customer :customer_base + :client_id
BEGIN;
select count(*) from invoice_lock_all(array[cast(:inv as bigint)], cast('{}' as bigint[]));
select string_agg(cast((o.hold).id as text), ',') as holds from hold_place_each(array_fill(cast(:inv as bigint), array[cast(:batch as int)]), array_fill(cast(:customer as bigint), array[cast(:batch as int)]), array_fill(replace('customer#' || cast(:customer as text) || '#balance#RUB', '#', chr(58)), array[cast(:batch as int)]), array_fill(replace('customer#' || cast(:customer as text) || '#receivable#RUB', '#', chr(58)), array[cast(:batch as int)]), array_fill(cast(10000 as bigint), array[cast(:batch as int)]), array_fill(cast('RUB' as text), array[cast(:batch as int)]), array_fill(now() + interval '1 hour', array[cast(:batch as int)]), array_fill(cast(0 as bigint), array[cast(:batch as int)])) o \gset
insert into idempotency_record (api_key_id, staff_user_id, key, request_hash, method, path, created_at, response_status, response_content_type, response_body) select cast(:key_id as bigint), null, gen_random_uuid()::text, sha256(random()::text::bytea), 'POST', '/api/v1/holds', now(), 201, 'application/json', convert_to(repeat('x', 300), 'UTF8') from generate_series(1, cast(:batch as int)) on conflict do nothing returning api_key_id, staff_user_id, key;
COMMIT;
BEGIN;
select o.item from hold_capture_each(cast(string_to_array(:holds, ',') as bigint[]), array_fill(cast(null as bigint), array[cast(:batch as int)]), array_fill(cast(null as text), array[cast(:batch as int)]), array(select gen_random_uuid() from generate_series(1, cast(:batch as int))), now(), 'balance') o;
insert into idempotency_record (api_key_id, staff_user_id, key, request_hash, method, path, created_at, response_status, response_content_type, response_body) select cast(:key_id as bigint), null, gen_random_uuid()::text, sha256(random()::text::bytea), 'POST', '/api/v1/holds/capture', now(), 200, 'application/json', convert_to(repeat('x', 300), 'UTF8') from generate_series(1, cast(:batch as int)) on conflict do nothing returning api_key_id, staff_user_id, key;
COMMIT;

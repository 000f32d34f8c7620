-- The SQL of a batch of holds, then of a batch of their captures, as the API's group commit sends it when nothing
-- is refused (HoldBatches: invoice_lock_all, hold_place_and_capture_all_locked, hold_capture_all and
-- Idempotency.keep, whose records go in one insert from the unnest of an array per column; each batch one
-- transaction), for pgbench: what the database alone can do for the
-- API when :batch requests of a kind are committed together. The app sends its arrays as parameters, and its
-- records' insert settles on a generic plan; here pgbench's variables build them, which would keep that insert
-- planned anew each time: the benchmark runs this with plan_cache_mode=force_generic_plan.
-- Variables: as api-pair.sql, and batch. Each client's items share its invoice (the API's batches never do, but
-- the work per item is the same). pgbench reads ':name' as a variable even inside a string, hence the account codes
-- put together around chr(58).
\set inv :inv_base + :client_id
\set customer :customer_base + :client_id
BEGIN;
select count(*) from invoice_lock_all(array[cast(:inv as bigint)], cast('{}' as bigint[]));
select string_agg(cast((o.hold).id as text), ',') as holds from hold_place_and_capture_all_locked(array_fill(cast(:inv as bigint), array[cast(:batch as int)]), array_fill(cast(:customer as bigint), array[cast(:batch as int)]), array_fill(replace('customer#' || cast(:customer as text) || '#balance#RUB', '#', chr(58)), array[cast(:batch as int)]), array_fill(replace('customer#' || cast(:customer as text) || '#receivable#RUB', '#', chr(58)), array[cast(:batch as int)]), array_fill(cast(10000 as bigint), array[cast(:batch as int)]), array_fill(cast('RUB' as text), array[cast(:batch as int)]), array_fill(now() + interval '1 hour', array[cast(:batch as int)]), array_fill(cast(0 as bigint), array[cast(:batch as int)]), '{}', '{}', '{}', '{}', now(), 'balance') o \gset
insert into idempotency_record (api_key_id, staff_user_id, key, request_hash, method, path, created_at, response_status, response_content_type, response_body) select t.a, t.u, t.k, t.h, 'POST', t.p, now(), t.s, 'application/json', t.b from unnest(array_fill(cast(:key_id as bigint), array[cast(:batch as int)]), array_fill(cast(null as bigint), array[cast(:batch as int)]), array(select gen_random_uuid()::text from generate_series(1, cast(:batch as int))), array(select sha256(random()::text::bytea) from generate_series(1, cast(:batch as int))), array_fill(cast('/api/v1/holds' as text), array[cast(:batch as int)]), array_fill(201, array[cast(:batch as int)]), array_fill(convert_to(repeat('x', 300), 'UTF8'), array[cast(:batch as int)])) as t(a, u, k, h, p, s, b) on conflict do nothing returning api_key_id, staff_user_id, key;
COMMIT;
BEGIN;
select o.item from hold_capture_all(cast(string_to_array(:holds, ',') as bigint[]), array_fill(cast(null as bigint), array[cast(:batch as int)]), array_fill(cast(null as text), array[cast(:batch as int)]), array(select gen_random_uuid() from generate_series(1, cast(:batch as int))), now(), 'balance') o;
insert into idempotency_record (api_key_id, staff_user_id, key, request_hash, method, path, created_at, response_status, response_content_type, response_body) select t.a, t.u, t.k, t.h, 'POST', t.p, now(), t.s, 'application/json', t.b from unnest(array_fill(cast(:key_id as bigint), array[cast(:batch as int)]), array_fill(cast(null as bigint), array[cast(:batch as int)]), array(select gen_random_uuid()::text from generate_series(1, cast(:batch as int))), array(select sha256(random()::text::bytea) from generate_series(1, cast(:batch as int))), array_fill(cast('/api/v1/holds/capture' as text), array[cast(:batch as int)]), array_fill(200, array[cast(:batch as int)]), array_fill(convert_to(repeat('x', 300), 'UTF8'), array[cast(:batch as int)])) as t(a, u, k, h, p, s, b) on conflict do nothing returning api_key_id, staff_user_id, key;
COMMIT;

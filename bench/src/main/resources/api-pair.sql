-- The SQL of one hold + capture pair as the application sends it (InvoiceStore.lock, hold_place, hold_capture and
-- Idempotency's record, each request its own transaction), for pgbench: what the database alone can do for the
-- API, with no HTTP and no Java. Variables: inv_base, customer_base (ids of client 0's invoice and customer; the
-- set-up makes them consecutive) and key_id (the API key of the records). pgbench reads ':name' as a variable
-- even inside a string, hence the account codes put together around chr(58).
\set inv :inv_base + :client_id
\set customer :customer_base + :client_id
BEGIN;
select count(*) from invoice_lock_all(array[cast(:inv as bigint)], cast('{}' as bigint[]));
select id as hold from hold_place(cast(:inv as bigint), cast(:customer as bigint), replace('customer#' || cast(:customer as text) || '#balance#RUB', '#', chr(58)), replace('customer#' || cast(:customer as text) || '#receivable#RUB', '#', chr(58)), 10000, 'RUB', now() + interval '1 hour', 0, null, null) \gset
insert into idempotency_record (api_key_id, key, request_hash, method, path, created_at, response_status, response_content_type, response_body) values (cast(:key_id as bigint), gen_random_uuid()::text, sha256(random()::text::bytea), 'POST', '/api/v1/holds', now(), 201, 'application/json', convert_to(repeat('x', 300), 'UTF8')) on conflict do nothing;
COMMIT;
BEGIN;
select id from hold_capture(cast(:hold as bigint), null, null, gen_random_uuid(), now());
insert into idempotency_record (api_key_id, key, request_hash, method, path, created_at, response_status, response_content_type, response_body) values (cast(:key_id as bigint), gen_random_uuid()::text, sha256(random()::text::bytea), 'POST', '/api/v1/holds/capture', now(), 200, 'application/json', convert_to(repeat('x', 300), 'UTF8')) on conflict do nothing;
COMMIT;

-- outbox_publish (V1.1) as PL/pgSQL, the same insert. A SQL function that cannot be inlined (an insert never can) is
-- parsed, analysed and planned again on every call: measured on the API's hold + capture (pg_stat_statements,
-- 2026-12-05), each call cost ~130 us of which the insert itself was ~47 us, and a pair makes three calls. PL/pgSQL
-- prepares the insert once per connection and reuses its plan.
create or replace function outbox_publish(p_type text, p_version integer, p_aggregate_type text, p_aggregate_id bigint,
                                          p_payload jsonb)
returns void language plpgsql as $$
begin
    insert into outbox_event (event_id, type, version, aggregate_type, aggregate_id, payload)
    values (gen_random_uuid(), p_type, p_version, p_aggregate_type, p_aggregate_id::text,
            jsonb_strip_nulls(p_payload));
end $$;

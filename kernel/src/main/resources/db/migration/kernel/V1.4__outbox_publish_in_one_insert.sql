-- outbox_publish for several events in one insert: the i-th element of each array is the i-th event, published in
-- that order (ids rise with it, as they do for calls of outbox_publish one after the other). For the database
-- functions that do the work of many requests in one call (billing/V6.24): one statement, where a call per event is
-- a statement each. The same columns and payload as outbox_publish (V1.3), whose contract (EventContractTest) holds.
create function outbox_publish_all(p_types text[], p_version integer, p_aggregate_types text[],
                                   p_aggregate_ids bigint[], p_payloads jsonb[])
returns void language plpgsql as $$
begin
    insert into outbox_event (event_id, type, version, aggregate_type, aggregate_id, payload)
    select gen_random_uuid(), e.type, p_version, e.aggregate_type, e.aggregate_id::text, jsonb_strip_nulls(e.payload)
      from unnest(p_types, p_aggregate_types, p_aggregate_ids, p_payloads) with ordinality
           as e(type, aggregate_type, aggregate_id, payload, n)
     order by e.n;
end $$;

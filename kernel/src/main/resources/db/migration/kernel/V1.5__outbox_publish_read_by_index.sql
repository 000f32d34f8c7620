-- outbox_publish_all (V1.4) reads its arrays by index: the types are unnested with their ordinality and each other
-- array's element is taken by that index, where V1.4 unnested the four arrays together. A function scan of several
-- functions sets each up and stores its rows on every run: measured in psql on PostgreSQL 15, a statement over unnest
-- of eight arrays cost 18-22 us a call, over one array with the rest by index 4.8 us (billing-core's ledger/V2.7 has
-- the measurement). The events are V1.4's, in the same order, one per type (the callers' arrays are all as long as
-- the types); EventContractTest holds the columns and payloads.

create or replace function outbox_publish_all(p_types text[], p_version integer, p_aggregate_types text[],
                                              p_aggregate_ids bigint[], p_payloads jsonb[])
returns void language plpgsql as $$
begin
    insert into outbox_event (event_id, type, version, aggregate_type, aggregate_id, payload)
    select gen_random_uuid(), e.type, p_version, p_aggregate_types[e.n], p_aggregate_ids[e.n]::text,
           jsonb_strip_nulls(p_payloads[e.n])
      from unnest(p_types) with ordinality as e(type, n)
     order by e.n;
end $$;

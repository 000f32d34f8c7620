-- A fiscal event that by law needs no receipt of its own keeps a row all the same, in state 'exempt' with the
-- reason, so the daily unfiscalized check and an auditor see it was decided, not forgotten: a bank transfer between
-- businesses (54-FZ art. 2 p. 9), or a balance payment before handover (the advance's receipt covers it).
alter table receipt add column exemption text;
alter table receipt drop constraint receipt_state_check;
alter table receipt add constraint receipt_state_check
    check (state in ('pending', 'waiting', 'done', 'failed', 'invalid', 'exempt'));
alter table receipt add constraint receipt_exemption_reason check ((state = 'exempt') = (exemption is not null));

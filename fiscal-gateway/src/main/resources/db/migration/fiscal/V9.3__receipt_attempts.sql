-- The external_id a receipt is registered under: the prefix, this installation's id and the receipt's id, and a
-- suffix per resend when the operator reported an attempt failed for its own reasons (its queue timed out): ATOL
-- fixes that by a send under a new external_id. failed_uuids keeps the operator's ids of the failed attempts, each
-- checked again before any resend, so one fiscal event never has two registered receipts.
-- Receipts made before this migration have no external_id: theirs stays the prefix and the receipt's id.
alter table receipt add column external_id text unique;
alter table receipt add column resends integer not null default 0 check (resends >= 0);
alter table receipt add column failed_uuids text[] not null default '{}';

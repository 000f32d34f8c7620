-- "Hold expiring soon" (hold.expiring) is announced once per hold: HoldExpiryWarnings marks the hold when it
-- publishes the event, in the same transaction, so a repeated run finds nothing more to announce.

alter table hold add column expiry_warned_at timestamptz;

-- The warnings' pass reads the active holds not warned yet by expiry; once warned (the usual state of an active
-- hold after its first day), a hold leaves this index, so the pass stays small however many holds are active.
create index hold_expiry_unwarned on hold (expires_at) where status = 'active' and expiry_warned_at is null;

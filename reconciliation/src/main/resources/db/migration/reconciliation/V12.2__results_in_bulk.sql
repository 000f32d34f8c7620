-- A run writes a result per registry line and per ledger operation of the day, a million at a time: the
-- table takes them as cheaply as it can.

-- Results are written only by the run's own transaction, right after its run row: a foreign key would check
-- every one of them.
alter table reconciliation_result drop constraint reconciliation_result_run_id_fkey;

-- A plain match says why by its key alone (rendered as "matched by <key>" when read).
alter table reconciliation_result alter column why drop not null;

-- A run's results are appended together, so a block range index finds them; what people look up by class are
-- the few that did not match.
drop index reconciliation_result_run;
create index reconciliation_result_run on reconciliation_result using brin (run_id);
create index reconciliation_result_unmatched on reconciliation_result (run_id, result) where result <> 'matched';

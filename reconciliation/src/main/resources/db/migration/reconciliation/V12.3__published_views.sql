-- What reconciliation publishes to the reports (io.kopek.report.catalogue): the last finished run of each
-- provider's day (with its stored settlement: all currencies of the day together, as the run sums them), every
-- result of every run with its why and the key of the discrepancy it opens, and the discrepancies with their
-- comments. Plain views over reconciliation's tables, which only reconciliation changes.

-- Later runs of a day replace earlier ones: a report of the day shows the last that finished.
create view reconciliation_last_run as
select distinct on (r.provider, r.business_date)
       r.id as run_id, r.provider, r.business_date, r.registry_lines, r.ledger_operations,
       (r.summary -> 'settlement' ->> 'registrySettles')::bigint as registry_settles,
       (r.summary -> 'settlement' ->> 'ledgerExpects')::bigint as ledger_expects,
       (r.summary -> 'settlement' ->> 'registryCommission')::bigint as registry_commission,
       r.started_at, r.finished_at
from reconciliation_run r
where r.status = 'done'
order by r.provider, r.business_date, r.id desc;

-- item_key is the discrepancy's (provider, business_date, item_key) a result that did not match opens or keeps
-- (Sql.DISCREPANCIES); a plain match's why is its key, as Reconciliation.results renders it.
create view reconciliation_result_line as
select r.run_id, r.result, r.file_id, r.line_no, r.payment_id, r.refund_id, r.operation, r.provider_payment_id,
       r.match_key, r.registry_amount, r.ledger_amount, r.registry_commission, r.expected_commission, r.currency,
       coalesce(r.why, 'matched by ' || r.match_key) as why,
       case when r.file_id is not null then 'line:' || r.file_id || ':' || r.line_no
            when r.refund_id is not null then 'refund:' || r.refund_id
            else 'payment:' || r.payment_id end as item_key
from reconciliation_result r;

create view reconciliation_discrepancy as
select d.id as discrepancy_id, d.provider, d.business_date, d.item_key, d.result, d.why, d.amount, d.currency,
       d.status, d.first_run_id, d.last_run_id, d.resolution, d.resolved_by, d.resolved_at, d.created_at
from discrepancy d;

create view reconciliation_discrepancy_comment as
select c.id as comment_id, c.discrepancy_id, c.author, c.body, c.created_at
from discrepancy_comment c;

-- What the intake publishes to the settlement's reconciliation: the lines of the registries it imported, with
-- their provider and business day (found through registry_file_day and registry_line_file).

create view registry_imported_line as
select f.provider, f.business_date, l.file_id, l.line_no, l.provider_payment_id, l.order_number, l.operation,
       l.amount, l.commission, l.settled_amount, l.currency, l.operated_at
from registry_file f
join registry_line l on l.file_id = f.id
where f.status = 'imported';

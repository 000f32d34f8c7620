-- What billing publishes to the reports' revenue, besides the invoice headers of V6.10 (which the receivables ageing
-- reads): invoice lines as they were priced, with their invoice's number, merchant code, customer, status and date.
-- The merchant's code is the first part of the invoice's number, as in V6.10. A plain view, so the planner reads
-- through it to the tables.

-- Gross amounts, and the VAT rate each line was priced at: the rate in force on its invoice's date.
create view billing_revenue_line as
select l.invoice_id, l.line_no, i.number, split_part(i.number, '-', 1) as merchant_code, i.customer_id,
       i.currency, i.status, i.issue_date, l.category, l.vat_code, l.vat_rate_bp, l.amount, l.vat_amount
from invoice_line l
join invoice i on i.id = l.invoice_id;

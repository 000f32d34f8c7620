-- What billing publishes to the reports' receivables ageing and revenue: invoices with their merchant's code and
-- their lines as they were priced. The merchant's code is the first part of the invoice's number, which billing
-- builds from it ("<code>-<year>-<number>"; a merchant code has no dash), so the views need not read the catalog's
-- tables. Plain views, so the planner reads through them to the tables.

-- Invoices with their dates and amounts now; the receivables ageing takes what was outstanding on a past day from
-- the ledger's receivable postings, which are referenced by the invoice number.
create view billing_invoice_due as
select i.id as invoice_id, i.number, split_part(i.number, '-', 1) as merchant_code, i.customer_id, i.currency,
       i.status, i.issue_date, i.due_date, i.total, i.paid_amount
from invoice i;

-- Invoice lines with the VAT rate each was priced at (the rate in force on its invoice's date), gross amounts.
create view billing_revenue_line as
select l.invoice_id, l.line_no, i.number, split_part(i.number, '-', 1) as merchant_code, i.customer_id,
       i.currency, i.status, i.issue_date, l.category, l.vat_code, l.vat_rate_bp, l.amount, l.vat_amount
from invoice_line l
join invoice i on i.id = l.invoice_id;

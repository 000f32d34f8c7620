-- A quantity has up to 6 decimals and at most 99999999 (ATOL v5: multipleOf 0.000001, maximum 99999999), as
-- Bounds checks before pricing; the column held 3 decimals.

alter table invoice_line alter column quantity type numeric(14,6);

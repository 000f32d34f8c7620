-- What an invoice's active holds reserve (invoice_lock_all's held) is read by a plain index scan of
-- hold_active_invoice, never by a bitmap scan. The partial index keeps an entry for every hold of the invoice that
-- was active when written and has been captured, released or expired since (its heap tuple now another version), until
-- a vacuum removes it. A bitmap scan visits the heap page of every such entry on every call and never marks one dead;
-- a plain index scan marks the entries whose tuples are dead to every transaction (LP_DEAD), so the next scans skip them
-- and a page split deletes them (https://www.postgresql.org/docs/15/btree-implementation.html#BTREE-DELETION). The
-- planner takes the bitmap scan, estimating two rows. Measured on the API benchmark's database (autovacuum off, as on
-- the development machines; 8,700 holds captured on each invoice): locking four invoices took 0.84-1.0 ms with the
-- bitmap scan, 0.30 ms with the index scan; one invoice's sum read 4,461 entries and 213 heap pages, then 14 pages.
alter function invoice_lock_all(bigint[], bigint[]) set enable_bitmapscan = off;

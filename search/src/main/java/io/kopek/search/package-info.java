/**
 * The search index: payments, refunds, invoices, holds, receipts, reconciliation runs and discrepancies as documents in
 * Elasticsearch for finance's Kibana. An outbox consumer of its own ({@link io.kopek.search.SearchIndexer}) reads each
 * event's objects as they are now from their owners ({@link io.kopek.search.Documents}) and writes them in bulk with
 * the event's id as their external version, so nothing older ever lands on something newer; the consumer's position
 * moves only once the engine has taken the documents. Each kind lives behind the alias {@code kopek-<kind>}, which a
 * {@link io.kopek.search.Reindex} rebuilds from PostgreSQL into a new generation and swaps. PostgreSQL stays the source
 * of truth; the engine being away delays the index and nothing else.
 */
package io.kopek.search;

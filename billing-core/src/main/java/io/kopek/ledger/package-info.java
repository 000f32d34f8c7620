/**
 * The double-entry ledger: accounts, balanced transactions with caller-chosen ids, immutable entries, pending
 * transfers. Posted transactions are written by {@link io.kopek.ledger.Ledger}; pending transfers are reserved,
 * posted and voided by the database functions of migration {@code V11} ({@code ledger_reserve},
 * {@code ledger_post_pending}, {@code ledger_void_pending}), which billing's hold functions call. Nothing else
 * changes a balance.
 */
package io.kopek.ledger;

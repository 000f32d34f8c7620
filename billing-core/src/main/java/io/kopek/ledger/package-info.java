/**
 * The double-entry ledger: accounts, balanced transactions with caller-chosen ids, immutable entries. Every
 * balance change in Kopek goes through {@link io.kopek.ledger.Ledger}.
 */
package io.kopek.ledger;

package io.kopek.ledger;

import io.kopek.money.Money;
import java.time.Instant;
import java.util.UUID;

/** One posted entry as the API shows it, with the transaction it belongs to. */
public record LedgerEntryView(
        long id, UUID transactionId, String kind, String reference, Instant postedAt, Side side, Money amount) {}

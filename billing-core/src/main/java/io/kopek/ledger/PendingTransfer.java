package io.kopek.ledger;

import io.kopek.money.Money;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Money reserved on the debit account for the credit account until it is posted (the whole amount or less,
 * the rest returned), voided, or it expires. {@code creditLimit} lets the debit account go that far below
 * zero, when a billing rule allows credit.
 */
public record PendingTransfer(
        UUID id, String debitAccount, String creditAccount, Money amount, Instant expiresAt, long creditLimit) {

    public PendingTransfer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(debitAccount, "debitAccount");
        Objects.requireNonNull(creditAccount, "creditAccount");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("a pending transfer must be positive, got " + amount);
        }
        if (creditLimit < 0) {
            throw new IllegalArgumentException("credit limit must not be negative");
        }
    }
}

package io.kopek.ledger;

import io.kopek.money.Money;
import java.time.Instant;
import java.util.UUID;

record PendingRow(
        UUID id,
        long debitAccountId,
        long creditAccountId,
        Money amount,
        String status,
        Instant expiresAt,
        long creditLimit,
        String debitCode,
        String creditCode) {}

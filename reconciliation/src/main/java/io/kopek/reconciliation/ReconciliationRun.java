package io.kopek.reconciliation;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One reconciliation of a provider's business day. {@code summary} (none while it runs): per result class its count and
 * sum, and the settlement the ledger expects beside what the registry settles.
 */
public record ReconciliationRun(
        long id,
        String provider,
        LocalDate businessDate,
        String status,
        Integer registryLines,
        Integer ledgerOperations,
        Summary summary,
        Instant startedAt,
        Instant finishedAt) {}

package io.kopek.reconciliation;

import io.kopek.money.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Something of a provider's day that did not match: a registry line ({@code line:<file>:<line>}), a payment or
 * a refund, with the reconciliation's reason. {@code open} until an accountant resolves it, or {@code cleared}
 * when a later run of the day no longer finds it. Comments and the resolution are notes beside the original
 * lines, never edits of them.
 */
public record Discrepancy(
        long id,
        String provider,
        LocalDate businessDate,
        String itemKey,
        String result,
        String why,
        Money amount,
        String status,
        long firstRunId,
        long lastRunId,
        String resolution,
        String resolvedBy,
        Instant resolvedAt,
        Instant createdAt,
        List<Comment> comments) {

    public record Comment(long id, String author, String body, Instant createdAt) {}
}

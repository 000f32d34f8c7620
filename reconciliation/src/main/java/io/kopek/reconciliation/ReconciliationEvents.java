package io.kopek.reconciliation;

import io.kopek.outbox.DomainEvent;
import io.kopek.outbox.EventType;
import java.time.LocalDate;
import java.util.Map;

/** What reconciliation announces; listed in {@code docs/events.md}. */
public final class ReconciliationEvents {

    private ReconciliationEvents() {}

    /**
     * A run of a provider's day is done: per result class ({@code matched}, {@code amount_mismatch}, ...) how many
     * registry lines and ledger operations and how much (minor units, all currencies together), and the settlement.
     */
    @EventType(name = "reconciliation.completed", aggregate = "reconciliation_run", aggregateId = "runId")
    public record ReconciliationCompleted(
            long runId, String provider, LocalDate businessDate, Map<String, Totals> results, Settlement settlement)
            implements DomainEvent {}

    /** How many of one result class, and how much. */
    public record Totals(long count, long amount) {}

    /**
     * What the registry settles and what the ledger expects it to (payments less the commissions the rules expect,
     * less refunds), and the commission the registry takes, in minor units.
     */
    public record Settlement(long registrySettles, long ledgerExpects, long registryCommission) {}

    /** An accountant closed a discrepancy with what was done about it. */
    @EventType(name = "discrepancy.resolved", aggregate = "discrepancy", aggregateId = "discrepancyId")
    public record DiscrepancyResolved(
            long discrepancyId, String provider, LocalDate businessDate, String result, String resolvedBy)
            implements DomainEvent {}
}

package io.kopek.search;

import io.kopek.outbox.DomainEvent;
import io.kopek.outbox.EventType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The drift check ({@link DriftCheck}) found days on which an index and PostgreSQL disagree: for each, the documents
 * and the sum of their amounts (minor units) in the engine and in the database. Only published when there is one.
 */
@EventType(name = "search.drift_found", aggregate = "search_drift_check", aggregateId = "checkedAt")
public record DriftFound(Instant checkedAt, List<Difference> differences) implements DomainEvent {

    /** One index's day: {@code index} is the kind's code ({@code payments}), the sums in minor units. */
    public record Difference(String index, LocalDate day, long esCount, long dbCount, long esSum, long dbSum) {}
}

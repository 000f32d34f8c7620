package io.kopek.fiscal;

import io.kopek.outbox.DomainEvent;
import io.kopek.outbox.EventType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** What the fiscal gateway announces: alerts that people must act on; listed in {@code docs/events.md}. */
public final class FiscalEvents {

    private FiscalEvents() {}

    /** A receipt failed validation (ours or the operator's) and was never registered; it needs a correction. */
    @EventType(name = "fiscal.receipt_invalid", aggregate = "receipt", aggregateId = "receiptId")
    public record ReceiptInvalid(long receiptId, String eventKey, String reason) implements DomainEvent {}

    /** The cash register refused a receipt the operator had accepted. */
    @EventType(name = "fiscal.receipt_failed", aggregate = "receipt", aggregateId = "receiptId")
    public record ReceiptFailed(long receiptId, String eventKey, String reason) implements DomainEvent {}

    /**
     * The daily check found payments or refunds without a done receipt: how many, the event keys of the first
     * hundred, and when it looked.
     */
    @EventType(name = "fiscal.unfiscalized", aggregate = "fiscal_check", aggregateId = "day")
    public record Unfiscalized(LocalDate day, int count, List<String> eventKeys, Instant checkedAt)
            implements DomainEvent {}
}

package io.kopek.fiscal;

import io.kopek.outbox.DomainEvent;
import io.kopek.outbox.EventType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the fiscal gateway announces: registered receipts, and alerts that people must act on; listed in
 * {@code docs/events.md}. A {@code @Nullable} field is left out of the payload when it does not apply.
 */
public final class FiscalEvents {

    private FiscalEvents() {}

    /** A receipt failed validation (ours or the operator's) and was never registered; it needs a correction. */
    @EventType(name = "fiscal.receipt_invalid", aggregate = "receipt", aggregateId = "receiptId")
    public record ReceiptInvalid(long receiptId, String eventKey, String reason) implements DomainEvent {}

    /**
     * A receipt is registered (done) with its fiscal attributes: the fiscal drive's number (ФН), the fiscal document's
     * number (ФД) and sign (ФП), the receipt's number in its shift and when the register registered it, as the
     * operator reported them (the last two are left out when it did not). {@code total} is the receipt's, in minor
     * units. Announced once per receipt, when it becomes done; an exempt receipt is not done and never announced.
     */
    @EventType(name = "fiscal.receipt_done", aggregate = "receipt", aggregateId = "receiptId")
    public record ReceiptDone(
            long receiptId,
            String eventKey,
            ReceiptKind kind,
            long total,
            String currency,
            @Nullable Long invoiceId,
            @Nullable Long paymentId,
            @Nullable Long refundId,
            @Nullable Long customerId,
            String fnNumber,
            long fiscalDocumentNumber,
            String fiscalDocumentAttribute,
            @Nullable Long fiscalReceiptNumber,
            @Nullable Instant registeredAt)
            implements DomainEvent {}

    /**
     * A receipt was made of a payment, top-up or refund (or of a correction): its kind and first state ({@code pending}
     * to be sent, {@code exempt} where the law asks none, {@code invalid} when it failed validation), for the systems
     * that follow the fiscal backlog (the search index). Once per receipt, in the transaction that made it.
     */
    @EventType(name = "fiscal.receipt_created", aggregate = "receipt", aggregateId = "receiptId")
    public record ReceiptCreated(
            long receiptId,
            String eventKey,
            ReceiptKind kind,
            ReceiptState state,
            long total,
            String currency,
            @Nullable Long invoiceId,
            @Nullable Long paymentId,
            @Nullable Long refundId,
            @Nullable Long customerId)
            implements DomainEvent {}

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

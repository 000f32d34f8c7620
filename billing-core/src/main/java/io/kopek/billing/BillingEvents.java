package io.kopek.billing;

import io.kopek.outbox.DomainEvent;
import io.kopek.outbox.EventType;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What billing announces, listed with their payloads in {@code docs/events.md}. Amounts are minor units beside their
 * ISO currency; a {@code @Nullable} field is left out of the payload when it does not apply. Payments, invoices' payment transitions and holds are announced by billing's database functions
 * ({@code invoice_apply_payment}, {@code hold_*}), which write these same payloads.
 */
public final class BillingEvents {

    private BillingEvents() {}

    @EventType(name = "invoice.issued", aggregate = "invoice", aggregateId = "invoiceId")
    public record InvoiceIssued(long invoiceId, String number, long customerId, long total, long vat, String currency)
            implements DomainEvent {}

    /** The invoice is paid in full (by any payment method, or several). */
    @EventType(name = "invoice.paid", aggregate = "invoice", aggregateId = "invoiceId")
    public record InvoicePaid(long invoiceId, String number) implements DomainEvent {}

    /** A first payment that leaves part of the invoice outstanding. */
    @EventType(name = "invoice.partially_paid", aggregate = "invoice", aggregateId = "invoiceId")
    public record InvoicePartiallyPaid(long invoiceId, String number) implements DomainEvent {}

    /** Unpaid (or part paid) past its due date. */
    @EventType(name = "invoice.overdue", aggregate = "invoice", aggregateId = "invoiceId")
    public record InvoiceOverdue(long invoiceId, String number) implements DomainEvent {}

    /** Canceled before any payment; its ledger postings are reversed. */
    @EventType(name = "invoice.canceled", aggregate = "invoice", aggregateId = "invoiceId")
    public record InvoiceCanceled(long invoiceId, String number) implements DomainEvent {}

    /** Money towards an invoice: from the balance, by bank transfer, or by card (a charge or a hold's capture). */
    @EventType(name = "payment.succeeded", aggregate = "payment", aggregateId = "paymentId")
    public record PaymentSucceeded(
            long paymentId, long invoiceId, long customerId, long amount, String currency, Payment.Method method)
            implements DomainEvent {}

    /**
     * Money on the customer's prepaid balance: a bank transfer, or a card payment for an invoice that could no longer
     * take it (then {@code invoiceId} and {@code reason} say which and why).
     */
    @EventType(name = "balance.topped_up", aggregate = "payment", aggregateId = "paymentId")
    public record BalanceToppedUp(
            long paymentId,
            long customerId,
            long amount,
            String currency,
            @Nullable Long invoiceId,
            @Nullable String reason)
            implements DomainEvent {}

    /**
     * A card top-up (money an invoice could not take) given back to the card through its provider: the balance is
     * lower by {@code amount}.
     */
    @EventType(name = "balance.refunded", aggregate = "refund", aggregateId = "refundId")
    public record BalanceRefunded(
            long refundId, long paymentId, long customerId, long amount, String currency, String provider)
            implements DomainEvent {}

    @EventType(name = "refund.succeeded", aggregate = "refund", aggregateId = "refundId")
    public record RefundSucceeded(long refundId, long invoiceId, long paymentId, long amount, String currency)
            implements DomainEvent {}

    /** Money reserved towards an invoice, on the balance or (with {@code provider}) on the payer's card. */
    @EventType(name = "hold.placed", aggregate = "hold", aggregateId = "holdId")
    public record HoldPlaced(
            long holdId,
            long invoiceId,
            long customerId,
            Hold.Source source,
            long amount,
            String currency,
            Instant expiresAt,
            @Nullable String provider)
            implements DomainEvent {}

    /**
     * An active hold expires within the configured lead ({@code kopek.billing.hold-expiry-warning}), announced once
     * per hold: capture it before {@code expiresAt} or its money goes back.
     */
    @EventType(name = "hold.expiring", aggregate = "hold", aggregateId = "holdId")
    public record HoldExpiring(
            long holdId,
            long invoiceId,
            long customerId,
            Hold.Source source,
            long amount,
            String currency,
            Instant expiresAt,
            @Nullable String provider)
            implements DomainEvent {}

    /** All or part of a hold taken as the payment {@code paymentId}; the rest of the reservation goes back. */
    @EventType(name = "hold.captured", aggregate = "hold", aggregateId = "holdId")
    public record HoldCaptured(long holdId, long invoiceId, long amount, String currency, long paymentId)
            implements DomainEvent {}

    @EventType(name = "hold.released", aggregate = "hold", aggregateId = "holdId")
    public record HoldReleased(long holdId, long invoiceId) implements DomainEvent {}

    @EventType(name = "hold.expired", aggregate = "hold", aggregateId = "holdId")
    public record HoldExpired(long holdId, long invoiceId) implements DomainEvent {}
}

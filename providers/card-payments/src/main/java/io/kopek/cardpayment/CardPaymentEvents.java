package io.kopek.cardpayment;

import io.kopek.outbox.DomainEvent;
import io.kopek.outbox.EventType;

/**
 * What card payments announce beyond billing's own events (a charge or a hold's capture is billing's
 * {@code payment.succeeded}, an authorisation its {@code hold.placed}); listed in {@code docs/events.md}.
 */
public final class CardPaymentEvents {

    private CardPaymentEvents() {}

    /** The provider refused to create the payment; nothing was charged. */
    @EventType(name = "card_payment.failed", aggregate = "card_payment", aggregateId = "cardPaymentId")
    public record CardPaymentFailed(long cardPaymentId, long invoiceId, String provider, String reason)
            implements DomainEvent {}

    /** The provider canceled the payment (declined, expired, voided); a hold on the card is released. */
    @EventType(name = "card_payment.canceled", aggregate = "card_payment", aggregateId = "cardPaymentId")
    public record CardPaymentCanceled(
            long cardPaymentId,
            long invoiceId,
            long customerId,
            String provider,
            long amount,
            String currency,
            String reason)
            implements DomainEvent {}
}

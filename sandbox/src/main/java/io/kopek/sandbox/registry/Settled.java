package io.kopek.sandbox.registry;

import java.time.Instant;

/**
 * One operation a simulator settled, as its registry reports it.
 *
 * @param paymentId the provider's payment id
 * @param operationId the provider's id of this operation (the refund's id; the payment's for a payment)
 * @param orderNumber our order number as the provider knows it
 * @param kind what happened
 * @param amount in kopecks, positive
 * @param commission the provider's fee in kopecks
 * @param at when
 * @param cardMask the masked card number the provider shows, or null
 * @param description the payment's description
 */
public record Settled(
        String paymentId,
        String operationId,
        String orderNumber,
        Kind kind,
        long amount,
        long commission,
        Instant at,
        String cardMask,
        String description) {

    public enum Kind {
        PAYMENT,
        CAPTURE,
        REFUND,
        CHARGEBACK;

        /** +1 brings the merchant money, -1 takes it back. */
        public int direction() {
            return this == REFUND || this == CHARGEBACK ? -1 : 1;
        }
    }

    /** What the provider transfers to the merchant for this line. */
    public long settlement() {
        return kind.direction() * amount - commission;
    }
}

package io.kopek.cardpayment;

import io.kopek.money.Money;
import java.time.Instant;
import java.util.Locale;

/** A refund of a card payment, asked of its provider; {@code refundId} is billing's refund once it is recorded. */
public record CardRefund(
        long id,
        long cardPaymentId,
        Money amount,
        String reason,
        Status status,
        String providerRefundId,
        Long refundId,
        String failureReason,
        Instant createdAt) {

    public enum Status {
        /** Asked of the provider, no answer yet. */
        PENDING,
        /** The provider did not answer, or has not finished: the payment's status will tell. */
        UNKNOWN,
        SUCCEEDED,
        /** The provider refused it: nothing was returned. */
        FAILED;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Status of(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }
}

package io.kopek.billing;

import io.kopek.money.Money;
import java.time.Instant;
import java.util.Locale;

/**
 * Money reserved towards an invoice until it is captured, released or expires: on the customer's balance
 * ({@code source} balance), or authorised on the payer's card by {@code provider} as its payment
 * {@code providerPaymentId} ({@code source} card).
 */
public record Hold(
        long id,
        long invoiceId,
        long customerId,
        Source source,
        Money amount,
        Money captured,
        Status status,
        Instant expiresAt,
        Instant createdAt,
        Instant resolvedAt,
        String provider,
        String providerPaymentId) {

    /** Where the money is reserved: the customer's prepaid balance, or the payer's card at a provider. */
    public enum Source {
        BALANCE,
        CARD;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Source of(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }

    public enum Status {
        ACTIVE,
        CAPTURED,
        RELEASED,
        EXPIRED;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Status of(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }
}

package io.kopek.billing;

import io.kopek.money.Money;
import java.time.Instant;
import java.util.Locale;

/**
 * Money received: towards an invoice, or a top-up of the customer's balance. A card payment names the provider and
 * the provider's payment.
 */
public record Payment(
        long id,
        Long invoiceId,
        long customerId,
        Purpose purpose,
        Method method,
        String provider,
        Status status,
        Money amount,
        Money refunded,
        String reference,
        Long holdId,
        Instant createdAt,
        String providerPaymentId) {

    /** What the money is for: an invoice, or the customer's prepaid balance. */
    public enum Purpose {
        INVOICE,
        TOP_UP;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Purpose of(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }

    /** How it was paid; billing rules name the methods an invoice's lines accept by these codes. */
    public enum Method {
        BALANCE,
        BANK_TRANSFER,
        CARD;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Method of(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }

    /** A payment is recorded once the money is there; refunds are recorded apart ({@link Refund}). */
    public enum Status {
        SUCCEEDED;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status of(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }
}

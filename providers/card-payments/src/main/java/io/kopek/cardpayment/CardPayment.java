package io.kopek.cardpayment;

import io.kopek.money.Money;
import java.time.Instant;
import java.util.Locale;

/**
 * One attempt to pay an invoice by card through one provider. {@code twoStage}: the payer's money is authorised
 * first (a card hold, {@code holdId}) and captured later; otherwise it is charged at once. {@code confirmationUrl}
 * is where to send the payer. {@code pendingOperation} is a capture or cancel asked of the provider whose outcome
 * is not known yet (a later check tells).
 */
public record CardPayment(
        long id,
        long invoiceId,
        long customerId,
        String provider,
        boolean twoStage,
        Money amount,
        Money captured,
        Status status,
        String orderNumber,
        String providerPaymentId,
        String confirmationUrl,
        String cardMask,
        String failureReason,
        Long holdId,
        Long paymentId,
        String pendingOperation,
        Instant createdAt,
        Instant updatedAt) {

    public enum Status {
        /** Written, the provider asked, no answer yet. */
        CREATING,
        /** The provider did not answer (timeout, 5xx): it may or may not have the payment; a check will tell. */
        UNKNOWN,
        /** The provider has it and waits for the payer (3-D Secure, redirect). */
        PENDING,
        /** Authorised: a card hold, waiting for capture or cancel. */
        AUTHORIZED,
        /** Charged. */
        SUCCEEDED,
        /** Voided, declined or expired: no money moved. */
        CANCELED,
        /** The provider refused to create it: nothing happened. */
        FAILED;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Status of(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }

        boolean isFinal() {
            return this == SUCCEEDED || this == CANCELED || this == FAILED;
        }
    }
}

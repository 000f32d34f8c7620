package io.kopek.notification;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The current state of what an event is about, carried beside the event's payload in a webhook ({@code object}) and
 * used by e-mails, read when the event is notified (so every retry of a message carries the same state). Amounts are
 * minor units beside their ISO 4217 currency, as the API writes them. A field's removal or change of meaning is a new
 * version of the webhook body ({@code docs/webhooks.md}); adding one is compatible.
 */
public sealed interface ObjectState {

    /** The object's kind, as the body's {@code object.kind} names it. */
    String kind();

    record Invoice(
            long id,
            String number,
            long merchantId,
            long customerId,
            String status,
            LocalDate issueDate,
            LocalDate dueDate,
            long total,
            long vat,
            long paid,
            long refunded,
            long outstanding,
            String currency)
            implements ObjectState {
        @Override
        public String kind() {
            return "invoice";
        }
    }

    record Hold(
            long id,
            long invoiceId,
            long customerId,
            String source,
            String status,
            long amount,
            Long captured,
            String currency,
            Instant expiresAt,
            String provider)
            implements ObjectState {
        @Override
        public String kind() {
            return "hold";
        }
    }

    record Payment(
            long id,
            Long invoiceId,
            long customerId,
            String purpose,
            String method,
            String status,
            long amount,
            long refunded,
            String currency,
            String provider,
            Instant createdAt)
            implements ObjectState {
        @Override
        public String kind() {
            return "payment";
        }
    }

    record Refund(
            long id, Long invoiceId, long paymentId, long amount, String currency, String reason, Instant createdAt)
            implements ObjectState {
        @Override
        public String kind() {
            return "refund";
        }
    }

    /** A 54-FZ receipt and, once registered, its fiscal attributes (ФН, ФД, ФП). */
    record Receipt(
            long id,
            String receiptKind,
            String state,
            Long invoiceId,
            Long paymentId,
            Long refundId,
            long total,
            String currency,
            String fnNumber,
            Long fiscalDocumentNumber,
            String fiscalDocumentAttribute,
            Long fiscalReceiptNumber,
            Instant registeredAt)
            implements ObjectState {
        @Override
        public String kind() {
            return "receipt";
        }
    }
}

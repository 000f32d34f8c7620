package io.kopek.fiscal;

import java.time.Instant;

/**
 * A fiscal receipt and where it is. {@code eventKey} names the fiscal event it records (one receipt per event);
 * {@code attributes} are set once it is done; {@code exemption} says why an exempt event has none. {@code externalId}
 * is the operator's key of it, with a suffix after each of its {@code resends}.
 */
public record Receipt(
        long id,
        String eventKey,
        ReceiptKind kind,
        ReceiptState state,
        Long invoiceId,
        Long paymentId,
        Long refundId,
        Long customerId,
        ReceiptDocument document,
        String operator,
        String operatorUuid,
        int attempts,
        Instant nextAttemptAt,
        String lastError,
        FiscalAttributes attributes,
        Instant createdAt,
        Instant sentAt,
        Instant doneAt,
        String exemption,
        String externalId,
        int resends) {}

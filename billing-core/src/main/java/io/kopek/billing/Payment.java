package io.kopek.billing;

import io.kopek.money.Money;
import java.time.Instant;

/**
 * Money received: towards an invoice, or a top-up of the customer's balance. A card payment names the provider and
 * the provider's payment.
 */
public record Payment(
        long id,
        Long invoiceId,
        long customerId,
        String purpose,
        String method,
        String provider,
        String status,
        Money amount,
        Money refunded,
        String reference,
        Long holdId,
        Instant createdAt,
        String providerPaymentId) {}

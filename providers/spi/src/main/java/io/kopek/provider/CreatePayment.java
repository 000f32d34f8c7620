package io.kopek.provider;

import io.kopek.money.Money;
import java.util.Map;
import java.util.Objects;

/**
 * A payment to create. {@code orderNumber} is our invoice number (shown to the payer and used by providers that
 * key orders by it); {@code metadata} travels with the payment and comes back in callbacks.
 */
public record CreatePayment(
        String idempotencyKey,
        String orderNumber,
        Money amount,
        boolean hold,
        String description,
        String returnUrl,
        Map<String, String> metadata) {

    public CreatePayment {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(orderNumber, "orderNumber");
        Objects.requireNonNull(amount, "amount");
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("a payment must be positive, got " + amount);
        }
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}

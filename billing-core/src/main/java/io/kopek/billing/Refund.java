package io.kopek.billing;

import io.kopek.money.Money;
import java.time.Instant;

/** Money given back: of an invoice's payment, or ({@code invoiceId} null) of a top-up of the balance. */
public record Refund(long id, Long invoiceId, long paymentId, Money amount, String reason, Instant createdAt) {}

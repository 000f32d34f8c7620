package io.kopek.billing;

import io.kopek.money.Money;
import java.time.Instant;

public record Refund(long id, long invoiceId, long paymentId, Money amount, String reason, Instant createdAt) {}

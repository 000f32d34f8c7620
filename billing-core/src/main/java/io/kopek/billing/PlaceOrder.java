package io.kopek.billing;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * An order: it becomes an invoice at once. {@code orderRef} is the merchant's own order id (one invoice per
 * order); {@code dueDate} defaults to 14 days after the invoice date.
 */
public record PlaceOrder(long customerId, String orderRef, LocalDate dueDate, List<Item> items) {

    public record Item(long productId, BigDecimal quantity) {}
}

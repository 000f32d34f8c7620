package io.kopek.billing;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * An order: it becomes an invoice at once. {@code orderRef} is the caller's own order id (one invoice per order),
 * unique within {@code refScope}; {@code dueDate} defaults to 14 days after the invoice date.
 */
public record PlaceOrder(long customerId, String orderRef, RefScope refScope, LocalDate dueDate, List<Item> items) {

    /** An order of the merchant's own, its reference one of the merchant's order ids. */
    public PlaceOrder(long customerId, String orderRef, LocalDate dueDate, List<Item> items) {
        this(customerId, orderRef, RefScope.MERCHANT, dueDate, items);
    }

    public PlaceOrder {
        if (refScope == null) {
            throw new IllegalArgumentException("an order says whose its reference is");
        }
    }

    public record Item(long productId, BigDecimal quantity) {}

    /**
     * Whose numbering an order reference belongs to: a customer's (its own API key placed the order), unique for
     * that customer; or the merchant's (its staff placed it), unique across the merchant's customers.
     */
    public enum RefScope {
        CUSTOMER,
        MERCHANT;

        String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}

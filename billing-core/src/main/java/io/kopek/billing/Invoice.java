package io.kopek.billing;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kopek.money.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * An invoice as issued from an order. {@code total} is the sum of the lines exactly; {@code held} is what
 * active holds have reserved towards it.
 */
public record Invoice(
        long id,
        long merchantId,
        long customerId,
        String number,
        String orderRef,
        InvoiceStatus status,
        LocalDate issueDate,
        LocalDate dueDate,
        Money total,
        Money vatTotal,
        Money paid,
        Money refunded,
        Money held,
        List<InvoiceLine> lines,
        Instant createdAt) {

    /** What can still be paid or held. */
    @JsonProperty("outstanding")
    public Money outstanding() {
        return total.minus(paid).minus(held);
    }
}

package io.kopek.billing;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * An invoice's lifecycle. Every change of status that Java makes goes through {@link #canBecome}; a payment's
 * (to paid or partially paid, an overdue invoice staying overdue) is made by the database function
 * {@code invoice_apply_payment}, which keeps to the same table and must be changed with it.
 */
public enum InvoiceStatus {
    ISSUED,
    PARTIALLY_PAID,
    PAID,
    OVERDUE,
    CANCELLED,
    PARTIALLY_REFUNDED,
    REFUNDED;

    private Set<InvoiceStatus> next() {
        return switch (this) {
            case ISSUED -> EnumSet.of(PARTIALLY_PAID, PAID, OVERDUE, CANCELLED);
            case PARTIALLY_PAID -> EnumSet.of(PARTIALLY_PAID, PAID, OVERDUE);
            case OVERDUE -> EnumSet.of(OVERDUE, PAID, CANCELLED);
            case PAID, PARTIALLY_REFUNDED -> EnumSet.of(PARTIALLY_REFUNDED, REFUNDED);
            case CANCELLED, REFUNDED -> EnumSet.noneOf(InvoiceStatus.class);
        };
    }

    public boolean canBecome(InvoiceStatus status) {
        return next().contains(status);
    }

    public boolean acceptsPayment() {
        return this == ISSUED || this == PARTIALLY_PAID || this == OVERDUE;
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static InvoiceStatus of(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}

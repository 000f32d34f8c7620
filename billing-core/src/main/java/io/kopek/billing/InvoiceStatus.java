package io.kopek.billing;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** An invoice's lifecycle. Every change of status goes through {@link #canBecome}. */
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

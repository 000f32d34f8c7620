package io.kopek.customer;

import java.util.Locale;

/** Who the customer is in law; billing rules are keyed by it. */
public enum CustomerType {
    INDIVIDUAL,
    SOLE_PROPRIETOR,
    COMPANY;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CustomerType of(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}

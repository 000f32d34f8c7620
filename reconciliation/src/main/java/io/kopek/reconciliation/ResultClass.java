package io.kopek.reconciliation;

import java.util.Locale;

/** Why a registry line or a ledger operation of the day came out as it did. */
public enum ResultClass {
    MATCHED,
    AMOUNT_MISMATCH,
    FEE_MISMATCH,
    MISSING_IN_REGISTRY,
    MISSING_IN_LEDGER,
    DUPLICATE_IN_REGISTRY,
    STATUS_MISMATCH,
    OTHER_DAY;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ResultClass of(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}

package io.kopek.fiscal;

import java.util.Locale;

/** Where a receipt is on its way to the fiscal data operator. */
public enum ReceiptState {
    /** Built and valid, not yet accepted by the operator (or to be retried). */
    PENDING,
    /** Accepted by the operator (we have its uuid); the cash register has not registered it yet. */
    WAITING,
    /** Registered by the cash register; the fiscal attributes are stored. */
    DONE,
    /** Accepted, then refused by the cash register; needs a person (an alert was raised). */
    FAILED,
    /** Failed validation, ours or the operator's; never registered (an alert was raised). */
    INVALID,
    /** Needs no receipt by law or because another receipt covers it; {@link Receipt#exemption()} says why. */
    EXEMPT;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ReceiptState of(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}

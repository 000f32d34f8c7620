package io.kopek.search;

import java.util.Arrays;
import java.util.Locale;

/** What the index holds, one alias each ({@code kopek-<kind>}) with its template in {@code elk/templates}. */
public enum Kind {
    PAYMENTS("payments"),
    REFUNDS("refunds"),
    INVOICES("invoices"),
    HOLDS("holds"),
    RECEIPTS("receipts"),
    RECONCILIATION_RUNS("reconciliation-runs"),
    DISCREPANCIES("discrepancies");

    private final String code;

    Kind(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The alias every reader and the consumer use; its write index is the newest generation. */
    public String alias() {
        return "kopek-" + code;
    }

    /** The pattern of its generations, {@code kopek-<kind>-<generation>}, which its template matches. */
    public String generations() {
        return alias() + "-*";
    }

    public String templateResource() {
        return "elk/templates/" + alias() + ".json";
    }

    public static Kind of(String code) {
        return Arrays.stream(values())
                .filter(k -> k.code.equals(code.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no search index kind " + code));
    }
}

package io.kopek.report;

import java.util.Locale;

/** The filters a report may take; each report accepts those that make sense for it ({@link ReportType#filters}). */
public enum Filter {
    /** First day of the period (business dates, Moscow), inclusive. */
    FROM,
    /** Last day of the period, inclusive; for a report as of a day (ageing, balances), that day. */
    TO,
    PROVIDER,
    MERCHANT,
    /** A status or a result class, from the values the report lists ({@link ReportType#statuses}). */
    STATUS,
    CATEGORY,
    CUSTOMER_TYPE,
    CUSTOMER,
    MIN_AMOUNT,
    MAX_AMOUNT;

    /** The name in the API and in error messages ({@code customer_type}). */
    public String field() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package io.kopek.report;

import io.kopek.customer.CustomerType;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A report's filters, each {@code null} when not given. {@link #validFor} checks them against the report: only the
 * filters it takes, the ones it needs, codes of a bounded length and alphabet, a period the right way round and at
 * most {@value #MAX_DAYS} days long, amounts in range. Values reach SQL only as bound parameters.
 *
 * @param minAmount minor units, inclusive
 * @param maxAmount minor units, inclusive
 */
public record ReportFilters(
        LocalDate from,
        LocalDate to,
        String provider,
        String merchant,
        String status,
        String category,
        CustomerType customerType,
        Long customer,
        Long minAmount,
        Long maxAmount) {

    /** A year and a day: a calendar year, leap or not, is one period. */
    public static final int MAX_DAYS = 366;

    /** The largest amount anywhere in Kopek (billing's bound), in minor units. */
    public static final long MAX_AMOUNT = 1_000_000_000_000L;

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public static ReportFilters none() {
        return new ReportFilters(null, null, null, null, null, null, null, null, null, null);
    }

    /** The filters that are given. */
    public Set<Filter> given() {
        Set<Filter> given = EnumSet.noneOf(Filter.class);
        for (Filter f : Filter.values()) {
            if (value(f) != null) {
                given.add(f);
            }
        }
        return given;
    }

    public Object value(Filter filter) {
        return switch (filter) {
            case FROM -> from;
            case TO -> to;
            case PROVIDER -> provider;
            case MERCHANT -> merchant;
            case STATUS -> status;
            case CATEGORY -> category;
            case CUSTOMER_TYPE -> customerType;
            case CUSTOMER -> customer;
            case MIN_AMOUNT -> minAmount;
            case MAX_AMOUNT -> maxAmount;
        };
    }

    /**
     * These filters, checked for the report, with its defaults filled in (a report as of a day without {@code to}
     * is as of {@code today}).
     *
     * @throws InvalidFilterException naming the first field that is wrong
     */
    public ReportFilters validFor(ReportType report, LocalDate today) {
        for (Filter f : given()) {
            if (!report.filters().contains(f)) {
                throw invalid(
                        f,
                        "the " + report.code() + " report takes no " + f.field() + " filter; it takes "
                                + report.filters().stream().map(Filter::field).toList());
            }
        }
        LocalDate to = this.to;
        if (to == null && report.asOfDay()) {
            to = today;
        }
        ReportFilters checked = new ReportFilters(
                from, to, provider, merchant, status, category, customerType, customer, minAmount, maxAmount);
        for (Filter f : report.required()) {
            if (checked.value(f) == null) {
                throw invalid(f, "the " + report.code() + " report needs " + f.field());
            }
        }
        code(Filter.PROVIDER, provider);
        code(Filter.MERCHANT, merchant);
        code(Filter.CATEGORY, category);
        if (status != null && !report.statuses().contains(status)) {
            throw invalid(Filter.STATUS, "must be one of " + report.statuses());
        }
        if (from != null && to != null) {
            if (from.isAfter(to)) {
                throw invalid(Filter.FROM, "the period starts (" + from + ") after it ends (" + to + ")");
            }
            if (ChronoUnit.DAYS.between(from, to) + 1 > MAX_DAYS) {
                throw invalid(Filter.TO, "a period is at most " + MAX_DAYS + " days; split it");
            }
        }
        if (customer != null && customer <= 0) {
            throw invalid(Filter.CUSTOMER, "a customer id is positive");
        }
        amount(Filter.MIN_AMOUNT, minAmount);
        amount(Filter.MAX_AMOUNT, maxAmount);
        if (minAmount != null && maxAmount != null && minAmount > maxAmount) {
            throw invalid(Filter.MIN_AMOUNT, "min_amount is above max_amount");
        }
        return checked;
    }

    private static void code(Filter f, String value) {
        if (value != null && !CODE.matcher(value).matches()) {
            throw invalid(f, "must be a code of at most 64 letters, digits, '_', '.' or '-'");
        }
    }

    private static void amount(Filter f, Long value) {
        if (value != null && (value < 0 || value > MAX_AMOUNT)) {
            throw invalid(f, "must be between 0 and " + MAX_AMOUNT + " minor units");
        }
    }

    private static InvalidFilterException invalid(Filter f, String message) {
        return new InvalidFilterException("filters." + f.field(), f.field() + ": " + message);
    }
}

package io.kopek.api;

import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/** The periods the console's reads take: business days the right way round, at most {@link #MAX_DAYS} of them. */
final class Periods {

    /** A year, leap day included, as the reports take; longer periods are what reports are for. */
    static final int MAX_DAYS = 366;

    private Periods() {}

    /** {@code from} to {@code to}, both included, checked; a 400 naming the field otherwise. */
    static void require(LocalDate from, LocalDate to) {
        if (from.isAfter(to)) {
            throw new InvalidParameterException("from", "must not be after to (" + to + ")");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw new InvalidParameterException("to", "the period is at most " + MAX_DAYS + " days");
        }
    }

    /** A positive duration of at most {@link #MAX_DAYS} days. */
    static void require(Duration within, String field) {
        if (within.isNegative() || within.isZero() || within.compareTo(Duration.ofDays(MAX_DAYS)) > 0) {
            throw new InvalidParameterException(field, "must be positive and at most " + MAX_DAYS + " days");
        }
    }
}

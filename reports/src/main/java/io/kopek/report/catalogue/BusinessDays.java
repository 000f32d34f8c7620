package io.kopek.report.catalogue;

import io.kopek.calendar.BusinessCalendar;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * Business days as SQL sees them: the days {@code :from} to {@code :to} run from {@link #START} to {@link #END}, the
 * midnights of the business zone bound as {@code :zone} (never the database session's zone, nor the server's). They
 * are instants, compared with {@code timestamptz} columns as they are, so an index on such a column serves.
 */
final class BusinessDays {

    /** The first instant of the business day {@code :from}. */
    static final String START = "(cast(:from as date)::timestamp at time zone :zone)";

    /** The first instant after the business day {@code :to}: the end of a period or of the day a report is as of. */
    static final String END = "((cast(:to as date) + 1)::timestamp at time zone :zone)";

    /** A date as Russian accountants write it, in a table's title. */
    static final DateTimeFormatter RUSSIAN_DATE = DateTimeFormatter.ofPattern("dd.MM.yyyy");

    private BusinessDays() {}

    /** The parameters {@code :from} (when given), {@code :to}, {@code :zone} and {@code :watermark}. */
    static MapSqlParameterSource parameters(BusinessCalendar calendar, LocalDate from, LocalDate to, long watermark) {
        return new MapSqlParameterSource()
                .addValue("from", from)
                .addValue("to", to)
                .addValue("zone", calendar.zone().getId())
                .addValue("watermark", watermark);
    }
}

package io.kopek.report.catalogue;

import io.kopek.calendar.BusinessCalendar;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * Business days as SQL sees them: a day {@code :d} begins at {@link #START} of it in the business zone, bound as
 * {@code :zone} beside it (never the database session's zone, nor the server's). Instants are compared with
 * {@code timestamptz} columns, so an index on one serves.
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

package io.kopek.report.format;

import io.kopek.report.Column;
import io.kopek.report.ColumnType;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How a column's values look in the PDF: what the template's field holds for each {@link ColumnType} and the pattern
 * it is printed with (Russian: {@code 1 234,56}, the thousands separated by a no-break space), in one place for the
 * table sections and the title page.
 */
final class PdfCells {

    static final Locale RUSSIAN = Locale.of("ru", "RU");

    static final String MONEY = "#,##0.00";
    static final String COUNT = "#,##0";
    /** An id reads as an id, without a thousands separator. */
    static final String ID = "0";

    static final String DECIMAL = "#,##0.##########";

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd.MM.yyyy");
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm");

    private PdfCells() {}

    /** The class of the template's field: numbers stay numbers, so that the summary band sums them. */
    static Class<?> valueClass(ColumnType type) {
        return switch (type) {
            case TEXT, DATE, TIMESTAMP -> String.class;
            case MONEY, DECIMAL -> BigDecimal.class;
            case INTEGER -> Long.class;
        };
    }

    /** The pattern of a numeric cell; dates and times are formatted as text already ({@link #value}). */
    static String pattern(Column column) {
        return switch (column.type()) {
            case TEXT, DATE, TIMESTAMP -> null;
            case MONEY -> MONEY;
            case DECIMAL -> DECIMAL;
            // A summed integer is a count; one that is not is an id or a number of something in a row.
            case INTEGER -> column.summed() ? COUNT : ID;
        };
    }

    static boolean rightAligned(ColumnType type) {
        return type == ColumnType.MONEY || type == ColumnType.INTEGER || type == ColumnType.DECIMAL;
    }

    /** A row's value as the field holds it: money in roubles, exactly ({@code BigDecimal} of scale 2). */
    static Object value(ColumnType type, Object value) {
        if (value == null) {
            return null;
        }
        return switch (type) {
            case TEXT -> (String) value;
            case DATE -> DAY.format((LocalDate) value);
            case TIMESTAMP -> MINUTE.format((LocalDateTime) value);
            case MONEY -> BigDecimal.valueOf((Long) value, 2);
            case INTEGER -> (Long) value;
            case DECIMAL -> (BigDecimal) value;
        };
    }

    /** A control total as the title page prints it (money comes in minor units). */
    static String total(ColumnType type, BigDecimal value) {
        return switch (type) {
            case MONEY -> format(MONEY, value.movePointLeft(2));
            case INTEGER -> format(COUNT, value);
            default -> format(DECIMAL, value);
        };
    }

    static String count(long n) {
        return format(COUNT, BigDecimal.valueOf(n));
    }

    private static String format(String pattern, BigDecimal value) {
        // The same symbols as the template's patterns under REPORT_LOCALE ru-RU.
        return new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(RUSSIAN)).format(value);
    }
}

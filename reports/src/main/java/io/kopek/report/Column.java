package io.kopek.report;

import java.util.Objects;

/**
 * A column of a report's table: its name in machine-readable output (CSV's header in the {@code plain} profile),
 * its title for people (Russian, as the reports are for Russian accountants), what it holds, and whether the table's
 * totals row sums it.
 *
 * @param width the column's width in characters (XLSX column width; PDF shares the page by these)
 */
public record Column(String name, String title, ColumnType type, boolean summed, int width) {

    public Column {
        Objects.requireNonNull(name);
        Objects.requireNonNull(title);
        Objects.requireNonNull(type);
        if (summed && type != ColumnType.MONEY && type != ColumnType.INTEGER && type != ColumnType.DECIMAL) {
            throw new IllegalArgumentException(name + ": only numbers are summed");
        }
        if (width <= 0) {
            throw new IllegalArgumentException(name + ": width must be positive");
        }
    }

    public static Column text(String name, String title, int width) {
        return new Column(name, title, ColumnType.TEXT, false, width);
    }

    public static Column date(String name, String title) {
        return new Column(name, title, ColumnType.DATE, false, 11);
    }

    public static Column timestamp(String name, String title) {
        return new Column(name, title, ColumnType.TIMESTAMP, false, 17);
    }

    /** Money in minor units, summed in the totals row. */
    public static Column money(String name, String title) {
        return new Column(name, title, ColumnType.MONEY, true, 15);
    }

    /** Money that a total would make no sense of (a price, a balance at a moment of each row). */
    public static Column moneyNotSummed(String name, String title) {
        return new Column(name, title, ColumnType.MONEY, false, 15);
    }

    public static Column integer(String name, String title, boolean summed) {
        return new Column(name, title, ColumnType.INTEGER, summed, 10);
    }

    public static Column decimal(String name, String title) {
        return new Column(name, title, ColumnType.DECIMAL, false, 10);
    }
}

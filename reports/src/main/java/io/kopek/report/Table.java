package io.kopek.report;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * One table of a report: a sheet of the workbook, a section of the PDF. A report has exactly one {@link Kind#DETAIL}
 * table, the long one that a CSV file carries, and may have {@link Kind#SUMMARY} tables beside it (a few rows each,
 * such as the reconciliation's counts per result class).
 *
 * @param name short name for the sheet's tab (at most 31 characters, Excel's limit)
 * @param rows opens the rows when the table is written: one {@code Object[]} per row, a value per column of the
 *     column's type ({@link ColumnType}); the stream reads from a database cursor and must be closed
 */
public record Table(String name, String title, Kind kind, List<Column> columns, Supplier<Stream<Object[]>> rows) {

    public enum Kind {
        SUMMARY,
        DETAIL
    }

    public Table {
        if (name.length() > 31) {
            throw new IllegalArgumentException("a sheet name is at most 31 characters: " + name);
        }
        columns = List.copyOf(columns);
    }
}

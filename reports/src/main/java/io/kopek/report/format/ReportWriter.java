package io.kopek.report.format;

import io.kopek.report.ReportSummary;
import io.kopek.report.Table;
import java.io.Closeable;
import java.io.IOException;
import java.util.Iterator;

/**
 * Writes one report file of a format, table after table, as rows stream from the database: memory stays flat
 * whatever the number of rows. Made by a {@link ReportWriters} for a header and an output stream; the caller counts
 * and sums the rows as they pass, so a writer formats and never computes the control totals itself.
 */
public interface ReportWriter extends Closeable {

    /** Writes a table with its rows (each {@code Object[]} a value per column, of its {@link io.kopek.report.ColumnType}). */
    void table(Table table, Iterator<Object[]> rows) throws IOException;

    /**
     * Ends the file after the last table: the title sheet or page with the filters and the control totals (known only
     * now), then everything flushed to the output stream. The stream itself is the caller's to close.
     */
    void finish(ReportSummary summary) throws IOException;

    /** Frees what the writer holds (temporary files) whether or not it finished. */
    @Override
    void close() throws IOException;
}

package io.kopek.report;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A report whose file is a format of its own rather than tables (the 1C bank statement): it writes the whole file.
 */
public interface ExchangeFile {

    ReportType type();

    /**
     * Whether the file can be made for these filters (the parties and details it names), checked when a run is asked
     * for, so a request that could only fail is refused at once; {@link #write} checks again.
     *
     * @throws InvalidFilterException naming the filter at fault
     * @throws IllegalStateException when what is missing is Kopek's configuration, not the request
     */
    default void check(ReportFilters filters) {}

    /**
     * Writes the file; nothing is written (and an {@link InvalidFilterException} or {@link IllegalStateException} with
     * a readable reason is thrown) when the data lacks what the format requires.
     */
    ReportSummary write(ReportQuery query, OutputStream out) throws IOException;
}

package io.kopek.report;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A report whose file is a format of its own rather than tables (the 1C bank statement): it writes the whole file.
 */
public interface ExchangeFile {

    ReportType type();

    /**
     * Writes the file; nothing is written (and an {@link InvalidFilterException} or {@link IllegalStateException} with
     * a readable reason is thrown) when the data lacks what the format requires.
     */
    ReportSummary write(ReportQuery query, OutputStream out) throws IOException;
}

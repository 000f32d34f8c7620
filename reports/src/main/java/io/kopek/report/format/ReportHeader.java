package io.kopek.report.format;

import io.kopek.report.CsvProfile;
import io.kopek.report.ReportType;
import java.time.LocalDateTime;
import java.util.List;

/**
 * What every file says about itself: which report, for which filters (as people read them: {@code Провайдер:
 * yookassa}), when it was generated (business zone) and up to which ledger entry, under which run.
 *
 * @param csvProfile how a CSV file is written (ignored by the other formats)
 */
public record ReportHeader(
        long runId,
        ReportType type,
        List<FilterLine> filters,
        LocalDateTime generatedAt,
        long watermark,
        CsvProfile csvProfile,
        CsvProfile.CsvCharset csvCharset) {

    public ReportHeader {
        filters = List.copyOf(filters);
    }

    /** A filter as a line of the header: its title and its value as text. */
    public record FilterLine(String title, String value) {}
}

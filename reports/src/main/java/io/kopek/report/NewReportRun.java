package io.kopek.report;

/**
 * A request for a report: which one, in which format, for which filters; for CSV, its profile and charset (by
 * default {@code excel-ru} in UTF-8).
 */
public record NewReportRun(
        ReportType report,
        ReportFormat format,
        ReportFilters filters,
        CsvProfile csvProfile,
        CsvProfile.CsvCharset csvCharset) {

    public NewReportRun {
        filters = filters == null ? ReportFilters.none() : filters;
    }

    public static NewReportRun of(ReportType report, ReportFormat format, ReportFilters filters) {
        return new NewReportRun(report, format, filters, null, null);
    }
}

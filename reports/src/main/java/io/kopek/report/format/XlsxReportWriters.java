package io.kopek.report.format;

import io.kopek.report.ReportFormat;
import java.io.OutputStream;
import org.springframework.stereotype.Component;

/**
 * Excel workbooks, streamed with POI's SXSSF: a title sheet {@value XlsxReportWriter#TITLE_SHEET} first (the
 * report, its filters, when and up to which ledger entry it was made, the control totals), then a sheet per table
 * with a frozen header, an autofilter, typed cells (money in roubles, real dates) and a totals row of
 * {@code SUBTOTAL} formulas that follow the filter.
 */
@Component
public class XlsxReportWriters implements ReportWriters {

    @Override
    public ReportFormat format() {
        return ReportFormat.XLSX;
    }

    @Override
    public ReportWriter open(ReportHeader header, OutputStream out) {
        return new XlsxReportWriter(header, out);
    }
}

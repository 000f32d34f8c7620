package io.kopek.report.format;

import io.kopek.report.ReportFormat;
import java.io.OutputStream;
import java.util.Objects;
import org.springframework.stereotype.Component;

/**
 * CSV files of a report's detail table, in the header's profile ({@link io.kopek.report.CsvProfile}) and character
 * set: RFC 4180 quoting, CRLF line ends, money in roubles with two decimals, text that a spreadsheet program could
 * take for a formula prefixed with {@code '}.
 */
@Component
public class CsvReportWriters implements ReportWriters {

    @Override
    public ReportFormat format() {
        return ReportFormat.CSV;
    }

    @Override
    public ReportWriter open(ReportHeader header, OutputStream out) {
        return new CsvReportWriter(
                Objects.requireNonNull(header.csvProfile(), "a CSV report needs its profile"),
                Objects.requireNonNull(header.csvCharset(), "a CSV report needs its character set"),
                out);
    }
}

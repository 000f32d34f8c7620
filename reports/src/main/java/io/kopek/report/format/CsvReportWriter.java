package io.kopek.report.format;

import com.opencsv.CSVWriterBuilder;
import com.opencsv.ICSVWriter;
import io.kopek.report.Column;
import io.kopek.report.CsvProfile;
import io.kopek.report.CsvProfile.CsvCharset;
import io.kopek.report.ReportSummary;
import io.kopek.report.Table;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.math.BigDecimal;
import java.nio.charset.CodingErrorAction;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * One CSV file: the report's {@link Table.Kind#DETAIL} table, a header line and a line per row. Summary tables are
 * skipped unread (a CSV file is one table), and there is no title page: the run's record says what the file is.
 */
final class CsvReportWriter implements ReportWriter {

    private static final String CRLF = "\r\n";
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final CsvProfile profile;
    private final CsvCharset charset;
    private final OutputStream out;
    private final DateTimeFormatter dates;
    private final DateTimeFormatter timestamps;
    private boolean written;

    CsvReportWriter(CsvProfile profile, CsvCharset charset, OutputStream out) {
        this.profile = profile;
        this.charset = charset;
        this.out = out;
        this.dates = DateTimeFormatter.ofPattern(profile.datePattern(), Locale.ROOT);
        this.timestamps = DateTimeFormatter.ofPattern(profile.timestampPattern(), Locale.ROOT);
    }

    @Override
    public void table(Table table, Iterator<Object[]> rows) throws IOException {
        if (table.kind() != Table.Kind.DETAIL) {
            return;
        }
        if (written) {
            throw new IllegalStateException("a CSV file holds one detail table; " + table.name() + " is a second");
        }
        written = true;
        // Windows-1251 has no letter for an emoji or a Latin-extended name: such a character becomes '?', which
        // costs one letter of one cell rather than the whole report; UTF-8 keeps everything.
        var encoder = charset.charset()
                .newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        BufferedWriter text = new BufferedWriter(new OutputStreamWriter(out, encoder), 1 << 16);
        if (profile.byteOrderMark() && charset == CsvCharset.UTF_8) {
            // How Excel knows the file is UTF-8 when it is opened with a double-click.
            text.write(BYTE_ORDER_MARK);
        }
        ICSVWriter csv = new CSVWriterBuilder(text)
                .withSeparator(profile.separator())
                .withQuoteChar('"')
                .withEscapeChar('"') // RFC 4180: a quote inside a quoted field is doubled
                .withLineEnd(CRLF)
                .build();

        List<Column> columns = table.columns();
        int width = columns.size();
        String[] line = new String[width];
        for (int i = 0; i < width; i++) {
            Column column = columns.get(i);
            line[i] = text(profile == CsvProfile.PLAIN ? column.name() : column.title());
        }
        csv.writeNext(line, false);
        while (rows.hasNext()) {
            Object[] values = rows.next();
            if (values.length != width) {
                throw new IllegalArgumentException(
                        table.name() + ": a row of " + values.length + " values for " + width + " columns");
            }
            for (int i = 0; i < width; i++) {
                line[i] = field(columns.get(i), values[i]);
            }
            csv.writeNext(line, false);
        }
        csv.flush();
        // OpenCSV keeps a write's IOException rather than throwing it.
        if (csv.checkError()) {
            throw csv.getException() != null ? csv.getException() : new IOException("the CSV file was not written");
        }
    }

    private String field(Column column, Object value) {
        if (value == null) {
            return "";
        }
        try {
            return switch (column.type()) {
                case TEXT -> text((String) value);
                case DATE -> dates.format((LocalDate) value);
                case TIMESTAMP -> timestamps.format((LocalDateTime) value);
                case MONEY -> decimal(BigDecimal.valueOf((Long) value, 2));
                case INTEGER -> Long.toString((Long) value);
                case DECIMAL -> decimal((BigDecimal) value);
            };
        } catch (ClassCastException e) {
            throw new IllegalArgumentException(
                    column.name() + " is " + column.type() + " but a row holds a "
                            + value.getClass().getSimpleName(),
                    e);
        }
    }

    /** Text a spreadsheet program would take for a formula gets a leading {@code '}, as OWASP advises. */
    private static String text(String value) {
        return SpreadsheetText.looksLikeFormula(value) ? "'" + value : value;
    }

    private String decimal(BigDecimal value) {
        String plain = value.toPlainString();
        return profile.decimalMark() == '.' ? plain : plain.replace('.', profile.decimalMark());
    }

    /** Nothing more to write: a CSV file has no title page. */
    @Override
    public void finish(ReportSummary summary) {
        if (!written) {
            throw new IllegalStateException("a CSV report is its detail table, and none was written");
        }
    }

    /** Holds nothing: the text goes straight to the caller's stream, which is the caller's to close. */
    @Override
    public void close() {}
}

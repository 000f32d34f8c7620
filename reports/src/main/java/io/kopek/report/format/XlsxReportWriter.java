package io.kopek.report.format;

import io.kopek.report.Column;
import io.kopek.report.ColumnType;
import io.kopek.report.ReportSummary;
import io.kopek.report.ReportSummary.ControlTotal;
import io.kopek.report.ReportSummary.TableSummary;
import io.kopek.report.Table;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.SpreadsheetVersion;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One workbook. Rows go to a gzipped temporary file per sheet as soon as they leave a window of
 * {@value #ROW_WINDOW}, so memory holds a hundred rows per sheet whatever the report's length; {@link #close}
 * deletes those files.
 */
final class XlsxReportWriter implements ReportWriter {

    static final String TITLE_SHEET = "Отчёт";
    static final String TOTALS_LABEL = "Итого";

    /** Rows kept in memory per sheet: the totals row must still be there at {@link #finish}, the rest need not. */
    static final int ROW_WINDOW = 100;

    /** Excel's last row (1,048,576 rows); a data row must leave room for the blank row and the totals below it. */
    private static final int LAST_DATA_ROW = SpreadsheetVersion.EXCEL2007.getLastRowIndex() - 2;

    private static final int MAX_TEXT = SpreadsheetVersion.EXCEL2007.getMaxTextLength();

    /** A character of Calibri 11 is 256 units of column width; a little more leaves room for the filter's button. */
    private static final int CHARACTER_WIDTH = 256;

    private static final Logger log = LoggerFactory.getLogger(XlsxReportWriter.class);

    private final ReportHeader header;
    private final OutputStream out;
    private final SXSSFWorkbook workbook;
    private final ExcelStyles styles;
    private final SXSSFSheet titleSheet;
    private final Map<String, WrittenTable> tables = new LinkedHashMap<>();

    XlsxReportWriter(ReportHeader header, OutputStream out) {
        this.header = header;
        this.out = out;
        // Inline strings, not a shared-strings table: the table would hold every distinct text of a million rows in
        // memory until the end.
        this.workbook = new SXSSFWorkbook(null, ROW_WINDOW, true, false);
        this.styles = new ExcelStyles(workbook);
        // Made now, filled at the end: the control totals are known only after the last row.
        this.titleSheet = workbook.createSheet(TITLE_SHEET);
    }

    /** A table already written, and where its totals row is (-1 when it sums nothing). */
    private record WrittenTable(Table table, SXSSFSheet sheet, int totalsRow) {}

    @Override
    public void table(Table table, Iterator<Object[]> rows) throws IOException {
        SXSSFSheet sheet = workbook.createSheet(table.name());
        List<Column> columns = table.columns();
        int width = columns.size();
        ColumnType[] types = new ColumnType[width];
        CellStyle[] dataStyles = new CellStyle[width];
        Row head = sheet.createRow(0);
        for (int i = 0; i < width; i++) {
            Column column = columns.get(i);
            types[i] = column.type();
            dataStyles[i] = styles.data(column.type());
            sheet.setColumnWidth(i, Math.min(255, column.width() + 2) * CHARACTER_WIDTH);
            Cell cell = head.createCell(i);
            cell.setCellValue(column.title());
            cell.setCellStyle(styles.header);
        }
        sheet.createFreezePane(0, 1);

        int r = 1;
        while (rows.hasNext()) {
            Object[] values = rows.next();
            if (values.length != width) {
                throw new IllegalArgumentException(
                        table.name() + ": a row of " + values.length + " values for " + width + " columns");
            }
            if (r > LAST_DATA_ROW) {
                throw new IllegalStateException(table.name() + ": more than " + LAST_DATA_ROW
                        + " rows, more than an Excel sheet holds; narrow the filters or take the report as CSV");
            }
            Row row = sheet.createRow(r++);
            for (int i = 0; i < width; i++) {
                Object value = values[i];
                if (value != null) {
                    write(row.createCell(i), types[i], value, dataStyles[i], columns.get(i));
                }
            }
        }
        int lastData = r - 1;
        // The filter covers the data only: the totals row below (after a blank row) is never sorted or hidden.
        sheet.setAutoFilter(new CellRangeAddress(0, Math.max(lastData, 1), 0, width - 1));
        int totalsRow = columns.stream().anyMatch(Column::summed) ? lastData + 2 : -1;
        if (totalsRow > 0) {
            writeTotals(sheet, columns, totalsRow, lastData);
        }
        tables.put(table.name(), new WrittenTable(table, sheet, totalsRow));
    }

    private void write(Cell cell, ColumnType type, Object value, CellStyle style, Column column) {
        try {
            switch (type) {
                case TEXT -> writeText(cell, (String) value);
                case DATE -> {
                    cell.setCellValue((LocalDate) value);
                    cell.setCellStyle(style);
                }
                case TIMESTAMP -> {
                    cell.setCellValue((LocalDateTime) value);
                    cell.setCellStyle(style);
                }
                case MONEY -> {
                    cell.setCellValue(roubles((Long) value));
                    cell.setCellStyle(style);
                }
                case INTEGER -> {
                    cell.setCellValue((Long) value);
                    cell.setCellStyle(style);
                }
                case DECIMAL -> {
                    cell.setCellValue(((BigDecimal) value).doubleValue());
                    cell.setCellStyle(style);
                }
            }
        } catch (ClassCastException e) {
            throw new IllegalArgumentException(
                    column.name() + " is " + type + " but a row holds a "
                            + value.getClass().getSimpleName(),
                    e);
        }
    }

    /**
     * Text as a string cell, never a formula (SXSSF writes an inline string for any {@code String}); text that starts
     * like a formula is quote-prefixed as well, so that Excel keeps it text when someone edits the cell.
     */
    private void writeText(Cell cell, String value) {
        // Excel refuses a longer cell; a comment that long is cut rather than the whole report failing.
        String text = value.length() > MAX_TEXT ? value.substring(0, MAX_TEXT - 1) + "…" : value;
        cell.setCellValue(text);
        cell.setCellStyle(SpreadsheetText.looksLikeFormula(text) ? styles.quotedText : styles.text);
    }

    /**
     * The value a money cell holds: roubles as the nearest double, which is what Excel stores for any number. Made
     * from the exact decimal (kopecks with two decimal places), so 0.10 is 0.1's double, not 10 × 0.01.
     */
    static double roubles(long minor) {
        return BigDecimal.valueOf(minor, 2).doubleValue();
    }

    private static double number(ColumnType type, BigDecimal total) {
        return type == ColumnType.MONEY ? total.movePointLeft(2).doubleValue() : total.doubleValue();
    }

    private void writeTotals(SXSSFSheet sheet, List<Column> columns, int totalsRow, int lastData) {
        Row row = sheet.createRow(totalsRow);
        if (!columns.getFirst().summed()) {
            Cell label = row.createCell(0);
            label.setCellValue(TOTALS_LABEL);
            label.setCellStyle(styles.totalsLabel);
        }
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            if (column.summed()) {
                String letter = CellReference.convertNumToColString(i);
                Cell cell = row.createCell(i);
                // 109: SUM over the rows the filter shows (and not those hidden by hand either).
                cell.setCellFormula("SUBTOTAL(109," + letter + 2 + ":" + letter + (Math.max(lastData, 1) + 1) + ")");
                cell.setCellStyle(styles.total(column.type()));
            }
        }
    }

    @Override
    public void finish(ReportSummary summary) throws IOException {
        for (TableSummary written : summary.tables()) {
            WrittenTable table = tables.get(written.table());
            if (table != null && table.totalsRow() > 0) {
                cacheTotals(table, written);
            }
        }
        writeTitleSheet(summary);
        // Excel recomputes the totals on opening; the cached results serve the viewers that do not.
        workbook.setForceFormulaRecalculation(true);
        workbook.setActiveSheet(0);
        workbook.write(out);
        out.flush();
    }

    /**
     * The control totals as the cached results of the totals row's formulas: what a viewer that never computes
     * formulas shows, and exactly what {@code SUBTOTAL} gives before anything is filtered.
     */
    private void cacheTotals(WrittenTable table, TableSummary summary) {
        Row row = table.sheet().getRow(table.totalsRow());
        List<Column> columns = table.table().columns();
        for (ControlTotal total : summary.totals()) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).name().equals(total.column()) && row.getCell(i) != null) {
                    row.getCell(i).setCellValue(number(total.type(), total.value()));
                }
            }
        }
    }

    private void writeTitleSheet(ReportSummary summary) {
        titleSheet.setColumnWidth(0, 34 * CHARACTER_WIDTH);
        titleSheet.setColumnWidth(1, 40 * CHARACTER_WIDTH);
        titleSheet.setColumnWidth(2, 30 * CHARACTER_WIDTH);
        titleSheet.setColumnWidth(3, 18 * CHARACTER_WIDTH);
        int r = 0;
        Cell title = titleSheet.createRow(r++).createCell(0);
        title.setCellValue(header.type().title());
        title.setCellStyle(styles.title);
        r++;

        labelRow(r++, "Фильтры");
        for (ReportHeader.FilterLine filter : header.filters()) {
            Row row = titleSheet.createRow(r++);
            writeText(row.createCell(0), filter.title());
            writeText(row.createCell(1), filter.value());
        }
        if (header.filters().isEmpty()) {
            writeText(titleSheet.createRow(r++).createCell(0), "без фильтров");
        }
        r++;

        Row generated = labelRow(r++, "Сформирован");
        Cell at = generated.createCell(1);
        at.setCellValue(header.generatedAt());
        at.setCellStyle(styles.data(ColumnType.TIMESTAMP));
        Row run = labelRow(r++, "Запуск отчёта №");
        run.createCell(1).setCellValue(header.runId());
        run.getCell(1).setCellStyle(styles.data(ColumnType.INTEGER));
        Row watermark = labelRow(r++, "Данные журнала по проводку №");
        watermark.createCell(1).setCellValue(header.watermark());
        watermark.getCell(1).setCellStyle(styles.data(ColumnType.INTEGER));
        r++;

        labelRow(r++, "Контрольные суммы");
        Row columnsRow = titleSheet.createRow(r++);
        String[] headings = {"Таблица", "Строк", "Показатель", "Сумма"};
        for (int i = 0; i < headings.length; i++) {
            Cell cell = columnsRow.createCell(i);
            cell.setCellValue(headings[i]);
            cell.setCellStyle(styles.header);
        }
        for (TableSummary table : summary.tables()) {
            WrittenTable written = tables.get(table.table());
            Row row = titleSheet.createRow(r++);
            writeText(row.createCell(0), written != null ? written.table().title() : table.table());
            row.createCell(1).setCellValue(table.rows());
            row.getCell(1).setCellStyle(styles.data(ColumnType.INTEGER));
            List<ControlTotal> totals = new ArrayList<>(table.totals());
            for (int t = 0; t < totals.size(); t++) {
                ControlTotal total = totals.get(t);
                Row line = t == 0 ? row : titleSheet.createRow(r++);
                writeText(line.createCell(2), total.title());
                Cell value = line.createCell(3);
                value.setCellValue(number(total.type(), total.value()));
                value.setCellStyle(styles.data(total.type()));
            }
        }
    }

    private Row labelRow(int r, String label) {
        Row row = titleSheet.createRow(r);
        Cell cell = row.createCell(0);
        cell.setCellValue(label);
        cell.setCellStyle(styles.label);
        return row;
    }

    @Override
    public void close() throws IOException {
        try {
            // POI's close() disposes as well (5.5) but ignores a file it could not delete: not worth failing a run
            // whose file is written, worth knowing before the disk fills.
            if (!workbook.dispose()) {
                log.warn("some of a report workbook's temporary files could not be deleted");
            }
        } finally {
            workbook.close();
        }
    }
}

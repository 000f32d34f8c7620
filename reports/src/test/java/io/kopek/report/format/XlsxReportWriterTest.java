package io.kopek.report.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kopek.report.Table;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.FormulaEvaluator;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.util.PaneInformation;
import org.apache.poi.util.DefaultTempFileCreationStrategy;
import org.apache.poi.util.TempFile;
import org.apache.poi.xssf.usermodel.XSSFCell;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each generated workbook is opened with POI (XSSF, as Excel reads the file) and checked cell by cell. */
class XlsxReportWriterTest {

    private static byte[] file;

    /** Column indexes of the fixture. */
    private static final int ID = 0, DATE = 1, CREATED = 2, CUSTOMER = 3, AMOUNT = 4, FEE = 5, VAT = 6, ITEMS = 7;

    @BeforeAll
    static void writeTheFixture() throws IOException {
        file = Fixture.write(new XlsxReportWriters(), Fixture.header(), Fixture.detail(), Fixture.summary());
    }

    private static XSSFWorkbook workbook() throws IOException {
        return new XSSFWorkbook(new ByteArrayInputStream(file));
    }

    private static XSSFCell cell(XSSFSheet sheet, int row, int column) {
        return sheet.getRow(row).getCell(column);
    }

    @Test
    void theTitleSheetComesFirstThenASheetPerTable() throws IOException {
        try (XSSFWorkbook workbook = workbook()) {
            assertThat(workbook.getNumberOfSheets()).isEqualTo(3);
            assertThat(workbook.getSheetName(0)).isEqualTo("Отчёт");
            assertThat(workbook.getSheetName(1)).isEqualTo("Платежи");
            assertThat(workbook.getSheetName(2)).isEqualTo("По способам");
            assertThat(workbook.getActiveSheetIndex()).isZero();
        }
    }

    @Test
    void theTitleSheetSaysWhatTheReportIsForAndItsControlTotals() throws IOException {
        try (XSSFWorkbook workbook = workbook()) {
            XSSFSheet title = workbook.getSheetAt(0);
            Map<String, Row> rows = new HashMap<>();
            title.forEach(row -> {
                Cell first = row.getCell(0);
                if (first != null && first.getCellType() == CellType.STRING) {
                    rows.put(first.getStringCellValue(), row);
                }
            });

            assertThat(cell(title, 0, 0).getStringCellValue()).isEqualTo("Реестр платежей");
            assertThat(rows.get("Период").getCell(1).getStringCellValue()).isEqualTo("01.12.2026 — 31.12.2026");
            assertThat(rows.get("Провайдер").getCell(1).getStringCellValue()).isEqualTo("yookassa");
            Cell generated = rows.get("Сформирован").getCell(1);
            assertThat(DateUtil.isCellDateFormatted(generated)).isTrue();
            assertThat(generated.getLocalDateTimeCellValue()).isEqualTo(LocalDateTime.of(2026, 12, 4, 15, 30, 5));
            assertThat(rows.get("Запуск отчёта №").getCell(1).getNumericCellValue())
                    .isEqualTo(42);
            assertThat(rows.get("Данные журнала по проводку №").getCell(1).getNumericCellValue())
                    .isEqualTo(987_654);

            Row payments = rows.get("Платежи за период");
            assertThat(payments.getCell(1).getNumericCellValue()).isEqualTo(6);
            assertThat(payments.getCell(2).getStringCellValue()).isEqualTo("Сумма, руб.");
            assertThat(payments.getCell(3).getNumericCellValue()).isEqualTo(1_234_556.51);
            assertThat(payments.getCell(3).getCellStyle().getDataFormatString()).isEqualTo("#,##0.00");
            Row fee = title.getRow(payments.getRowNum() + 1);
            assertThat(fee.getCell(2).getStringCellValue()).isEqualTo("Комиссия, руб.");
            assertThat(fee.getCell(3).getNumericCellValue()).isEqualTo(25.11);
            Row items = title.getRow(payments.getRowNum() + 2);
            assertThat(items.getCell(3).getNumericCellValue()).isEqualTo(7);
            Row methods = rows.get("Платежи по способам оплаты");
            assertThat(methods.getCell(1).getNumericCellValue()).isEqualTo(2);
            assertThat(methods.getCell(3).getNumericCellValue()).isEqualTo(6);
        }
    }

    @Test
    void theHeaderIsBoldWrappedFrozenAndFilteredWithTheColumnsWidths() throws IOException {
        try (XSSFWorkbook workbook = workbook()) {
            XSSFSheet sheet = workbook.getSheet("Платежи");
            XSSFCell amount = cell(sheet, 0, AMOUNT);
            assertThat(amount.getStringCellValue()).isEqualTo("Сумма, руб.");
            assertThat(workbook.getFontAt(amount.getCellStyle().getFontIndex()).getBold())
                    .isTrue();
            assertThat(amount.getCellStyle().getWrapText()).isTrue();

            PaneInformation pane = sheet.getPaneInformation();
            assertThat(pane.isFreezePane()).isTrue();
            assertThat(pane.getHorizontalSplitPosition()).isEqualTo((short) 1);
            assertThat(pane.getVerticalSplitPosition()).isZero();

            // The header and the six data rows; not the blank row and the totals below them.
            assertThat(sheet.getCTWorksheet().getAutoFilter().getRef()).isEqualTo("A1:H7");
            assertThat(workbook.getAllNames())
                    .anySatisfy(name -> assertThat(name.getNameName()).isEqualTo("_xlnm._FilterDatabase"));

            assertThat(sheet.getColumnWidth(CUSTOMER)).isEqualTo((30 + 2) * 256);
            assertThat(sheet.getColumnWidth(DATE)).isEqualTo((11 + 2) * 256);
        }
    }

    @Test
    void moneyIsANumberOfRoublesShownWithThousandsAndTwoDecimals() throws IOException {
        try (XSSFWorkbook workbook = workbook()) {
            XSSFSheet sheet = workbook.getSheet("Платежи");
            XSSFCell million = cell(sheet, 1, AMOUNT);
            assertThat(million.getCellType()).isEqualTo(CellType.NUMERIC);
            assertThat(million.getNumericCellValue()).isEqualTo(1_234_567.89);
            assertThat(million.getCellStyle().getDataFormatString()).isEqualTo("#,##0.00");
            // As Russian Excel shows it (its format dialog lists the format as "# ##0,00").
            DataFormatter russian = new DataFormatter(Locale.forLanguageTag("ru-RU"));
            assertThat(russian.formatCellValue(million).replaceAll("[\\u00A0\\u202F]", " "))
                    .isEqualTo("1 234 567,89");
            assertThat(new DataFormatter(Locale.US).formatCellValue(million)).isEqualTo("1,234,567.89");

            assertThat(cell(sheet, 2, AMOUNT).getNumericCellValue()).isEqualTo(-12.5);
            assertThat(russian.formatCellValue(cell(sheet, 2, AMOUNT))).isEqualTo("-12,50");
            assertThat(cell(sheet, 2, FEE).getNumericCellValue()).isEqualTo(0.1);
            assertThat(cell(sheet, 3, AMOUNT).getNumericCellValue()).isEqualTo(0.1);
            assertThat(cell(sheet, 4, AMOUNT).getNumericCellValue()).isEqualTo(0.01);
        }
    }

    @Test
    void roublesAreTheNearestDoubleOfTheExactDecimal() {
        Random random = new Random(15);
        List<Long> amounts = new ArrayList<>(List.of(0L, 1L, -1L, 10L, 99L, 12_345L, 1_000_000_000_000L, -7L));
        IntStream.range(0, 100_000).forEach(i -> amounts.add(random.nextLong(-1_000_000_000_000L, 1_000_000_000_000L)));
        for (long minor : amounts) {
            String exact = new BigDecimal(minor).movePointLeft(2).toPlainString();
            assertThat(XlsxReportWriter.roubles(minor)).as(exact).isEqualTo(Double.parseDouble(exact));
        }
    }

    @Test
    void datesAndTimesAreDateCellsInTheRussianOrder() throws IOException {
        try (XSSFWorkbook workbook = workbook()) {
            XSSFSheet sheet = workbook.getSheet("Платежи");
            XSSFCell date = cell(sheet, 1, DATE);
            assertThat(date.getCellType()).isEqualTo(CellType.NUMERIC);
            assertThat(DateUtil.isCellDateFormatted(date)).isTrue();
            assertThat(date.getLocalDateTimeCellValue().toLocalDate()).isEqualTo(LocalDate.of(2026, 12, 1));
            assertThat(date.getCellStyle().getDataFormatString()).isEqualTo("dd.mm.yyyy");
            assertThat(new DataFormatter().formatCellValue(date)).isEqualTo("01.12.2026");

            XSSFCell created = cell(sheet, 2, CREATED);
            assertThat(DateUtil.isCellDateFormatted(created)).isTrue();
            assertThat(created.getLocalDateTimeCellValue()).isEqualTo(LocalDateTime.of(2026, 12, 2, 23, 59, 59));
            assertThat(created.getCellStyle().getDataFormatString()).isEqualTo("dd.mm.yyyy hh:mm");
            assertThat(new DataFormatter().formatCellValue(created)).isEqualTo("02.12.2026 23:59");
        }
    }

    @Test
    void integersAndDecimalsAreNumbersAndEmptyValuesEmptyCells() throws IOException {
        try (XSSFWorkbook workbook = workbook()) {
            XSSFSheet sheet = workbook.getSheet("Платежи");
            assertThat(cell(sheet, 1, ID).getCellType()).isEqualTo(CellType.NUMERIC);
            assertThat(cell(sheet, 1, ID).getNumericCellValue()).isEqualTo(101);
            assertThat(cell(sheet, 1, VAT).getCellType()).isEqualTo(CellType.NUMERIC);
            assertThat(cell(sheet, 1, VAT).getNumericCellValue()).isEqualTo(0.2);
            assertThat(cell(sheet, 1, ITEMS).getNumericCellValue()).isEqualTo(3);
            assertThat(sheet.getRow(3).getCell(CREATED)).isNull();
            assertThat(sheet.getRow(3).getCell(FEE)).isNull();
            assertThat(cell(sheet, 1, CUSTOMER).getStringCellValue()).isEqualTo("ООО «Ромашка»");
            assertThat(cell(sheet, 1, CUSTOMER).getCellStyle().getQuotePrefixed())
                    .isFalse();
        }
    }

    @Test
    void theTotalsRowSumsTheFilteredRowsWithSubtotalAndCachesTheControlTotals() throws IOException {
        try (XSSFWorkbook workbook = workbook()) {
            XSSFSheet sheet = workbook.getSheet("Платежи");
            assertThat((Object) sheet.getRow(7)).isNull(); // a blank row keeps the totals out of the filter's region
            Row totals = sheet.getRow(8);
            assertThat(totals.getCell(ID).getStringCellValue()).isEqualTo("Итого");
            assertThat(totals.getCell(AMOUNT).getCellType()).isEqualTo(CellType.FORMULA);
            assertThat(totals.getCell(AMOUNT).getCellFormula()).isEqualTo("SUBTOTAL(109,E2:E7)");
            assertThat(totals.getCell(FEE).getCellFormula()).isEqualTo("SUBTOTAL(109,F2:F7)");
            assertThat(totals.getCell(ITEMS).getCellFormula()).isEqualTo("SUBTOTAL(109,H2:H7)");
            assertThat(totals.getCell(VAT)).isNull();
            assertThat(totals.getCell(AMOUNT).getCellStyle().getDataFormatString())
                    .isEqualTo("#,##0.00");

            // What a viewer that never computes shows: the control totals, cached in the file.
            assertThat(totals.getCell(AMOUNT).getNumericCellValue()).isEqualTo(1_234_556.51);
            assertThat(totals.getCell(FEE).getNumericCellValue()).isEqualTo(25.11);
            assertThat(totals.getCell(ITEMS).getNumericCellValue()).isEqualTo(7);
            // What Excel computes: the same.
            FormulaEvaluator evaluator = workbook.getCreationHelper().createFormulaEvaluator();
            assertThat(evaluator.evaluate(totals.getCell(AMOUNT)).getNumberValue())
                    .isCloseTo(1_234_556.51, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(evaluator.evaluate(totals.getCell(FEE)).getNumberValue())
                    .isCloseTo(25.11, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(evaluator.evaluate(totals.getCell(ITEMS)).getNumberValue())
                    .isEqualTo(7);
            assertThat(workbook.getForceFormulaRecalculation()).isTrue();

            // A row hidden by the filter drops out of the total.
            sheet.getRow(1).setZeroHeight(true);
            evaluator.clearAllCachedResultValues();
            assertThat(evaluator.evaluate(totals.getCell(ITEMS)).getNumberValue())
                    .isEqualTo(4);
        }
    }

    @Test
    void textThatStartsLikeAFormulaStaysTextAndIsQuotePrefixed() throws IOException {
        try (XSSFWorkbook workbook = workbook()) {
            XSSFSheet sheet = workbook.getSheet("Платежи");
            List<String> hostile =
                    List.of(Fixture.HOSTILE, "+7 495 000-00-00", "-5 по акту", "@SUM(A1)", "\tтабуляция");
            for (int r = 2; r <= 6; r++) {
                XSSFCell cell = cell(sheet, r, CUSTOMER);
                assertThat(cell.getCellType()).isEqualTo(CellType.STRING);
                assertThat(cell.getStringCellValue()).isEqualTo(hostile.get(r - 2));
                assertThat(cell.getCellStyle().getQuotePrefixed()).isTrue();
            }
            // Numbers stay numbers, a negative amount too.
            assertThat(cell(sheet, 2, AMOUNT).getCellType()).isEqualTo(CellType.NUMERIC);
            assertThat(cell(sheet, 2, AMOUNT).getCellStyle().getQuotePrefixed()).isFalse();
        }
        // In the file itself: the text is an inline string, and the only formulas are the three totals.
        String sheetXml = entry(file, "xl/worksheets/sheet2.xml");
        assertThat(sheetXml).contains("t=\"inlineStr\"").contains("HYPERLINK(");
        assertThat(sheetXml.split("<f>", -1)).hasSize(4);
        assertThat(sheetXml).doesNotContain("<f>HYPERLINK");
    }

    @Test
    void anEmptyTableHasItsHeaderAndZeroTotals() throws IOException {
        byte[] empty = Fixture.write(new XlsxReportWriters(), Fixture.header(), Fixture.detail(List.of()));
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(empty))) {
            XSSFSheet sheet = workbook.getSheet("Платежи");
            assertThat(cell(sheet, 0, AMOUNT).getStringCellValue()).isEqualTo("Сумма, руб.");
            assertThat(sheet.getCTWorksheet().getAutoFilter().getRef()).isEqualTo("A1:H2");
            Cell total = cell(sheet, 2, AMOUNT);
            assertThat(total.getCellFormula()).isEqualTo("SUBTOTAL(109,E2:E2)");
            assertThat(workbook.getCreationHelper()
                            .createFormulaEvaluator()
                            .evaluate(total)
                            .getNumberValue())
                    .isZero();
        }
    }

    @Test
    void aRowOfTheWrongTypeNamesTheColumn() {
        Object[] row = Fixture.ROWS.getFirst().clone();
        row[4] = "1 000,00";
        assertThatThrownBy(() -> Fixture.write(
                        new XlsxReportWriters(), Fixture.header(), Fixture.detail(List.<Object[]>of(row))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("amount");
    }

    @Test
    void temporaryFilesAreDeletedOnCloseFinishedOrNot(@TempDir Path temp) throws IOException {
        Path dir = Files.createDirectory(temp.resolve("poi"));
        TempFile.setTempFileCreationStrategy(new DefaultTempFileCreationStrategy(dir.toFile()));
        try {
            // More rows than the window, so they go to the sheet's temporary file.
            List<Object[]> rows = IntStream.range(0, 3 * XlsxReportWriter.ROW_WINDOW)
                    .mapToObj(i -> Fixture.ROWS.get(i % Fixture.ROWS.size()))
                    .toList();
            Table table = Fixture.detail(rows);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ReportWriter writer = new XlsxReportWriters().open(Fixture.header(), out)) {
                writer.table(table, rows.iterator());
                assertThat(files(dir)).isNotEmpty().allMatch(name -> name.endsWith(".gz"));
                writer.finish(Fixture.summaryOf(table));
            }
            assertThat(files(dir)).isEmpty();
            try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(out.toByteArray()))) {
                assertThat(workbook.getSheet("Платежи").getLastRowNum()).isEqualTo(rows.size() + 2);
            }

            // A run that fails halfway leaves nothing behind either.
            try (ReportWriter writer = new XlsxReportWriters().open(Fixture.header(), new ByteArrayOutputStream())) {
                writer.table(table, rows.iterator());
            }
            assertThat(files(dir)).isEmpty();
        } finally {
            TempFile.setTempFileCreationStrategy(new DefaultTempFileCreationStrategy());
        }
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** A part of the file, read through the zip's central directory as Excel reads it. */
    private static String entry(byte[] zip, String name) throws IOException {
        Path copy = Files.write(Files.createTempFile("report", ".xlsx"), zip);
        try (ZipFile in = new ZipFile(copy.toFile())) {
            ZipEntry entry = in.getEntry(name);
            assertThat(entry).as(name).isNotNull();
            return new String(in.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            Files.delete(copy);
        }
    }
}

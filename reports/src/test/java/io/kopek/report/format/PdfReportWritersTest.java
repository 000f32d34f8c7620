package io.kopek.report.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.report.Column;
import io.kopek.report.CsvProfile;
import io.kopek.report.ReportSummary;
import io.kopek.report.ReportSummary.ControlTotal;
import io.kopek.report.ReportSummary.TableSummary;
import io.kopek.report.ReportType;
import io.kopek.report.Table;
import io.kopek.report.format.ReportHeader.FilterLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PdfReportWritersTest {

    static final ReportHeader HEADER = new ReportHeader(
            42,
            ReportType.PAYMENTS,
            List.of(new FilterLine("Период", "01.12.2026 – 03.12.2026"), new FilterLine("Провайдер", "yookassa")),
            LocalDateTime.of(2026, 12, 4, 15, 58, 3),
            123_456,
            CsvProfile.EXCEL_RU,
            CsvProfile.CsvCharset.UTF_8);

    static final List<Column> PAYMENT_COLUMNS = List.of(
            Column.integer("payment_id", "№ платежа", false),
            Column.date("business_date", "Дата"),
            Column.timestamp("paid_at", "Оплачен"),
            Column.text("customer", "Покупатель", 30),
            Column.money("amount", "Сумма, ₽"),
            Column.moneyNotSummed("price", "Цена, ₽"),
            Column.integer("items", "Позиций", true));

    @TempDir
    Path temp;

    @Test
    void aReportReadsInRussianWithItsFiltersColumnsAndTotals() throws IOException {
        Table payments = table(
                "payments",
                "Платежи",
                Table.Kind.DETAIL,
                PAYMENT_COLUMNS,
                () -> Stream.of(
                        new Object[] {
                            1001L,
                            LocalDate.of(2026, 12, 1),
                            LocalDateTime.of(2026, 12, 1, 9, 5, 59),
                            "ООО «Ромашка»",
                            123_456L,
                            99_900L,
                            2L
                        },
                        new Object[] {1002L, LocalDate.of(2026, 12, 3), null, null, 100_000_050L, null, 1L},
                        new Object[] {1003L, LocalDate.of(2026, 12, 3), null, "Иванов И. И.", -1_000L, null, null}));
        Table byMethod = table(
                "by_method",
                "Итоги по способам оплаты",
                Table.Kind.SUMMARY,
                List.of(Column.text("method", "Способ оплаты", 20), Column.money("amount", "Сумма, ₽")),
                () -> Stream.<Object[]>of(new Object[] {"Карта", 100_122_506L}));
        ReportSummary summary = new ReportSummary(List.of(
                new TableSummary(
                        "payments",
                        3,
                        List.of(
                                new ControlTotal(
                                        "amount",
                                        "Сумма, ₽",
                                        io.kopek.report.ColumnType.MONEY,
                                        new BigDecimal(100_122_506)),
                                new ControlTotal(
                                        "items", "Позиций", io.kopek.report.ColumnType.INTEGER, new BigDecimal(3)))),
                new TableSummary(
                        "by_method",
                        1,
                        List.of(new ControlTotal(
                                "amount",
                                "Сумма, ₽",
                                io.kopek.report.ColumnType.MONEY,
                                new BigDecimal(100_122_506))))));

        byte[] pdf = write(List.of(payments, byMethod), summary);

        try (PDDocument document = Loader.loadPDF(pdf)) {
            String title = text(document, 1, 1);
            assertThat(title)
                    .contains("Реестр платежей")
                    .contains("Период: 01.12.2026 – 03.12.2026")
                    .contains("Провайдер: yookassa")
                    .contains("Сформирован: 04.12.2026 15:58:03 МСК")
                    .contains("Запуск отчёта № 42")
                    .contains("проводки до № 123456 включительно")
                    .contains("Контрольные суммы")
                    .contains("Платежи Строк 3")
                    .contains("Платежи Сумма, ₽ 1 001 225,06")
                    .contains("Платежи Позиций 3")
                    .contains("Итоги по способам оплаты Сумма, ₽ 1 001 225,06");
            String table = text(document, 2, 2);
            assertThat(table)
                    .contains("Реестр платежей")
                    .contains("Сформирован 04.12.2026 15:58:03 МСК")
                    .contains("Запуск № 42")
                    .contains("Платежи")
                    .contains("Период: 01.12.2026 – 03.12.2026")
                    .contains("Провайдер: yookassa")
                    .contains("№ платежа", "Дата", "Оплачен", "Покупатель", "Сумма, ₽", "Цена, ₽", "Позиций")
                    .contains("1001 01.12.2026 01.12.2026 09:05 ООО «Ромашка» 1 234,56 999,00 2")
                    .contains("1002 03.12.2026 1 000 000,50 1")
                    .contains("1003 03.12.2026 Иванов И. И. -10,00")
                    .contains("Итого 1 001 225,06 3")
                    .contains("Строк в таблице: 3");
            assertThat(text(document, 3, 3))
                    .contains("Итоги по способам оплаты")
                    .contains("Способ оплаты")
                    .contains("Карта 1 001 225,06")
                    .contains("Итого 1 001 225,06");
            List<String> bookmarks = new ArrayList<>();
            document.getDocumentCatalog().getDocumentOutline().children().forEach(b -> bookmarks.add(b.getTitle()));
            assertThat(bookmarks).containsExactly("Реестр платежей", "Платежи", "Итоги по способам оплаты");
            int pages = document.getNumberOfPages();
            assertThat(pages).isEqualTo(3);
            for (int page = 1; page <= pages; page++) {
                assertThat(text(document, page, page)).contains("Страница " + page + " из " + pages);
            }
        }
    }

    @Test
    void everyFontIsEmbedded() throws IOException {
        byte[] pdf = write(List.of(payments(500)), summary(500));

        try (PDDocument document = Loader.loadPDF(pdf)) {
            List<String> fonts = new ArrayList<>();
            for (PDPage page : document.getPages()) {
                PDResources resources = page.getResources();
                for (COSName name : resources.getFontNames()) {
                    PDFont font = resources.getFont(name);
                    assertThat(font.isEmbedded()).as(font.getName()).isTrue();
                    // A composite font in Identity-H: any glyph of DejaVu Sans, Cyrillic included, subset into the
                    // file.
                    assertThat(font).as(font.getName()).isInstanceOf(PDType0Font.class);
                    assertThat(font.getCOSObject().getCOSName(COSName.ENCODING)).isEqualTo(COSName.IDENTITY_H);
                    fonts.add(font.getName());
                }
            }
            assertThat(fonts).isNotEmpty().allSatisfy(name -> assertThat(name).contains("DejaVuSans"));
        }
    }

    @Test
    void pagesAreNumberedOverTheWholeFile() throws IOException {
        byte[] pdf = write(List.of(payments(500), payments(120)), summary(500));

        try (PDDocument document = Loader.loadPDF(pdf)) {
            int pages = document.getNumberOfPages();
            assertThat(pages).isGreaterThan(10);
            assertThat(text(document, 1, 1)).contains("Страница 1 из " + pages);
            assertThat(text(document, 2, 2)).contains("Страница 2 из " + pages);
            assertThat(text(document, pages, pages))
                    .contains("Страница " + pages + " из " + pages)
                    .contains("Строк в таблице: 120");
        }
    }

    @Test
    void aTableWithoutRowsHasItsTitlesAndZeroTotals() throws IOException {
        byte[] pdf = write(List.of(payments(0)), summary(0));

        try (PDDocument document = Loader.loadPDF(pdf)) {
            assertThat(document.getNumberOfPages()).isEqualTo(2);
            assertThat(text(document, 2, 2))
                    .contains("Платежи")
                    .contains("№ платежа")
                    .contains("Итого 0,00 0")
                    .contains("Строк в таблице: 0");
        }
    }

    @Test
    void aTableThatSumsNothingHasItsRowCountAlone() throws IOException {
        Table notes = table(
                "notes",
                "Комментарии",
                Table.Kind.SUMMARY,
                List.of(Column.text("note", "Комментарий", 40)),
                () -> Stream.<Object[]>of(new Object[] {"Расхождение закрыто"}));

        byte[] pdf = write(List.of(notes), new ReportSummary(List.of(new TableSummary("notes", 1, List.of()))));

        try (PDDocument document = Loader.loadPDF(pdf)) {
            assertThat(text(document, 2, 2))
                    .contains("Расхождение закрыто")
                    .contains("Строк в таблице: 1")
                    .doesNotContain("Итого");
        }
    }

    @Test
    void aLongTextWrapsInItsCellAndIsPrintedAsItIs() throws IOException {
        String note = "Покупатель оплатил счёт дважды: второй платёж возвращён по заявлению от 02.12.2026, "
                + "<b>разметка</b> остаётся текстом, =СУММ(A1:A2) тоже";
        Table notes = table(
                "notes",
                "Комментарии",
                Table.Kind.SUMMARY,
                List.of(Column.text("note", "Комментарий", 10), Column.money("amount", "Сумма, ₽")),
                () -> Stream.<Object[]>of(new Object[] {note, 500L}, new Object[] {"Вторая строка", 700L}));

        byte[] pdf = write(List.of(notes), new ReportSummary(List.of(new TableSummary("notes", 2, List.of()))));

        try (PDDocument document = Loader.loadPDF(pdf)) {
            String page = text(document, 2, 2);
            assertThat(page.replaceAll("\\s+", "")).contains(note.replaceAll("\\s+", ""));
            assertThat(page.lines().filter(line -> line.contains("Покупатель оплатил")))
                    .singleElement()
                    .asString()
                    .doesNotContain("разметка");
            assertThat(page).contains("Вторая строка 7,00").contains("Итого 12,00");
        }
    }

    @Test
    void aTableTooWideForA4GoesOnA3WithItsNumbersWhole() throws IOException {
        List<Column> columns = PdfLayoutTest.TWENTY_COLUMNS;
        Object[] row = new Object[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            row[i] = switch (columns.get(i).type()) {
                case TEXT -> "текст " + i;
                case DATE -> LocalDate.of(2026, 12, 3);
                case TIMESTAMP -> LocalDateTime.of(2026, 12, 3, 23, 59);
                case MONEY -> -12_345_678_901L;
                case INTEGER -> 1_234_567_890L;
                case DECIMAL -> BigDecimal.ONE;
            };
        }
        Table wide = table("wide", "Расхождения", Table.Kind.DETAIL, columns, () -> Stream.<Object[]>of(row));

        byte[] pdf = write(List.of(wide), new ReportSummary(List.of(new TableSummary("wide", 1, List.of()))));

        try (PDDocument document = Loader.loadPDF(pdf)) {
            assertThat(longSide(document.getPage(0))).as("the title page: A4").isEqualTo(842f);
            assertThat(longSide(document.getPage(1))).as("the table: A3").isEqualTo(1191f);
            String page = text(document, 2, 2);
            String line = page.lines()
                    .filter(l -> l.startsWith("03.12.2026"))
                    .findFirst()
                    .orElseThrow();
            assertThat(line)
                    .contains("-123 456 789,01 -123 456 789,01 -123 456 789,01 -123 456 789,01")
                    .contains("1234567890 1234567890")
                    .contains("03.12.2026 23:59");
            assertThat(page).contains("Сформирован 04.12.2026 15:58:03 МСК").contains("Страница 2 из 2");
        }
    }

    @Test
    void theOutputStreamIsLeftOpenForTheCaller() throws IOException {
        boolean[] closed = {false};
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        try (ReportWriter writer = new PdfReportWriters(temp).open(HEADER, out)) {
            Table table = payments(3);
            try (Stream<Object[]> rows = table.rows().get()) {
                writer.table(table, rows.iterator());
            }
            writer.finish(summary(3));
        }

        assertThat(closed[0]).isFalse();
        assertThat(new String(out.toByteArray(), 0, 5, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("%PDF-");
    }

    @Test
    void closingTheWriterDeletesItsSwapFiles() throws IOException {
        PdfReportWriters writers = new PdfReportWriters(temp);
        try (ReportWriter writer = writers.open(HEADER, new ByteArrayOutputStream())) {
            Table table = payments(2_000);
            try (Stream<Object[]> rows = table.rows().get()) {
                writer.table(table, rows.iterator());
            }
            assertThat(files(temp)).isNotEmpty();
            writer.finish(summary(2_000));
        }

        assertThat(files(temp)).isEmpty();
    }

    /** The payments table with {@code n} rows made as they are read, each paying 1 234,56 ₽ for 2 items. */
    static Table payments(long n) {
        return table(
                "payments",
                "Платежи",
                Table.Kind.DETAIL,
                PAYMENT_COLUMNS,
                () -> LongStream.rangeClosed(1, n).mapToObj(i -> new Object[] {
                    i,
                    LocalDate.of(2026, 12, 1).plusDays(i % 3),
                    LocalDateTime.of(2026, 12, 1, 9, 0).plusMinutes(i),
                    "Покупатель № " + i,
                    123_456L,
                    61_728L,
                    2L
                }));
    }

    static ReportSummary summary(long n) {
        return new ReportSummary(List.of(new TableSummary(
                "payments",
                n,
                List.of(
                        new ControlTotal(
                                "amount",
                                "Сумма, ₽",
                                io.kopek.report.ColumnType.MONEY,
                                BigDecimal.valueOf(123_456L).multiply(BigDecimal.valueOf(n))),
                        new ControlTotal(
                                "items", "Позиций", io.kopek.report.ColumnType.INTEGER, BigDecimal.valueOf(2 * n))))));
    }

    private static Table table(
            String name,
            String title,
            Table.Kind kind,
            List<Column> columns,
            java.util.function.Supplier<Stream<Object[]>> rows) {
        return new Table(name, title, kind, columns, rows);
    }

    private byte[] write(List<Table> tables, ReportSummary summary) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ReportWriter writer = new PdfReportWriters(temp).open(HEADER, out)) {
            for (Table table : tables) {
                try (Stream<Object[]> rows = table.rows().get()) {
                    writer.table(table, rows.iterator());
                }
            }
            writer.finish(summary);
        }
        return out.toByteArray();
    }

    /** The text of pages {@code from} to {@code to}, a line's words separated by single spaces. */
    static String text(PDDocument document, int from, int to) throws IOException {
        PDFTextStripper stripper = new PDFTextStripper();
        stripper.setStartPage(from);
        stripper.setEndPage(to);
        return stripper.getText(document).replaceAll("[\\u00A0\\u202F\\u2009 ]+", " ");
    }

    private static float longSide(PDPage page) {
        return Math.max(page.getMediaBox().getWidth(), page.getMediaBox().getHeight());
    }

    private static List<Path> files(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}

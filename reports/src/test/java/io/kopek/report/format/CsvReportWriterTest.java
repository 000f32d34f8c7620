package io.kopek.report.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvException;
import io.kopek.report.Column;
import io.kopek.report.CsvProfile;
import io.kopek.report.CsvProfile.CsvCharset;
import io.kopek.report.Table;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Each profile's file is parsed back as a spreadsheet program or a script would, and compared with the rows. */
class CsvReportWriterTest {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private static byte[] write(CsvProfile profile, CsvCharset charset, Table... tables) throws IOException {
        return Fixture.write(new CsvReportWriters(), Fixture.header(profile, charset), tables);
    }

    private static List<String[]> parse(String text, char separator) throws IOException, CsvException {
        try (CSVReader reader = new CSVReaderBuilder(new StringReader(text))
                .withCSVParser(
                        new RFC4180ParserBuilder().withSeparator(separator).build())
                .build()) {
            return reader.readAll();
        }
    }

    @Test
    void excelRuIsUtf8WithABomSemicolonsDecimalCommasAndRussianDates() throws Exception {
        byte[] file = write(CsvProfile.EXCEL_RU, CsvCharset.UTF_8, Fixture.summary(), Fixture.detail());

        assertThat(Arrays.copyOf(file, 3)).isEqualTo(BOM);
        String text = new String(file, 3, file.length - 3, StandardCharsets.UTF_8);
        assertThat(text)
                .startsWith("№ платежа;Дата;Создан;Покупатель;Сумма, руб.;Комиссия, руб.;Ставка НДС;Позиций\r\n");
        assertThat(text).endsWith("\r\n");
        assertThat(text.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");

        List<String[]> lines = parse(text, ';');
        assertThat(lines).hasSize(1 + Fixture.ROWS.size());
        assertThat(lines.get(1))
                .containsExactly(
                        "101",
                        "01.12.2026",
                        "01.12.2026 10:15:30",
                        "ООО «Ромашка»",
                        "1234567,89",
                        "25,00",
                        "0,20",
                        "3");
        assertThat(lines.get(2))
                .containsExactly(
                        "102",
                        "02.12.2026",
                        "02.12.2026 23:59:59",
                        "'" + Fixture.HOSTILE,
                        "-12,50",
                        "0,10",
                        "0,10",
                        "1");
        assertThat(lines.get(3)).containsExactly("103", "03.12.2026", "", "'+7 495 000-00-00", "0,10", "", "", "");
        assertThat(lines.get(4)[2]).isEqualTo("31.12.2026 00:00:00");
        assertThat(lines.get(4)[4]).isEqualTo("0,01");
    }

    @Test
    void plainIsUtf8WithoutABomCommasDecimalPointsIsoDatesAndColumnNames() throws Exception {
        byte[] file = write(CsvProfile.PLAIN, CsvCharset.UTF_8, Fixture.detail(), Fixture.summary());

        assertThat(Arrays.copyOf(file, 3)).isNotEqualTo(BOM);
        String text = new String(file, StandardCharsets.UTF_8);
        assertThat(text).startsWith("payment_id,business_date,created_at,customer,amount,fee,vat_rate,items\r\n");

        List<String[]> lines = parse(text, ',');
        assertThat(lines).hasSize(1 + Fixture.ROWS.size());
        assertThat(lines.get(1))
                .containsExactly(
                        "101",
                        "2026-12-01",
                        "2026-12-01T10:15:30",
                        "ООО «Ромашка»",
                        "1234567.89",
                        "25.00",
                        "0.20",
                        "3");
        assertThat(lines.get(2)[4]).isEqualTo("-12.50");
        assertThat(lines.get(4)[2]).isEqualTo("2026-12-31T00:00:00");
        // A quoted field: the text has the separator and quotes in it.
        assertThat(text).contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Нажмите\"\")\",");
    }

    @Test
    void windows1251CarriesCyrillicWithoutABom() throws Exception {
        Charset cp1251 = Charset.forName("windows-1251");
        for (CsvProfile profile : CsvProfile.values()) {
            byte[] file = write(profile, CsvCharset.WINDOWS_1251, Fixture.detail());

            assertThat(Arrays.copyOf(file, 3)).isNotEqualTo(BOM);
            // "Р" of "ООО «Ромашка»" is one byte, 0xD0, in Windows-1251 (two in UTF-8).
            String text = new String(file, cp1251);
            assertThat(new String(text.getBytes(cp1251), cp1251)).isEqualTo(text);
            assertThat(file).hasSize(text.length());
            List<String[]> lines = parse(text, profile.separator());
            assertThat(lines.get(1)[3]).isEqualTo("ООО «Ромашка»");
            assertThat(lines.get(2)[3]).isEqualTo("'" + Fixture.HOSTILE);
        }
        String header = new String(write(CsvProfile.EXCEL_RU, CsvCharset.WINDOWS_1251, Fixture.detail()), cp1251)
                .lines()
                .findFirst()
                .orElseThrow();
        assertThat(header).startsWith("№ платежа;Дата;Создан;Покупатель;");
    }

    @Test
    void textThatStartsLikeAFormulaGetsAQuotePrefixButNumbersNever() throws Exception {
        byte[] file = write(CsvProfile.EXCEL_RU, CsvCharset.UTF_8, Fixture.detail());
        List<String[]> lines = parse(new String(file, 3, file.length - 3, StandardCharsets.UTF_8), ';');

        assertThat(lines.stream().skip(2).map(line -> line[3]))
                .containsExactly(
                        "'" + Fixture.HOSTILE, "'+7 495 000-00-00", "'-5 по акту", "'@SUM(A1)", "'\tтабуляция");
        assertThat(lines.get(1)[3]).isEqualTo("ООО «Ромашка»");
        assertThat(lines.get(2)[4]).isEqualTo("-12,50");
    }

    @Test
    void separatorsQuotesAndLineBreaksInTextAreQuotedAsRfc4180Says() throws Exception {
        List<Column> columns = List.of(Column.text("note", "Комментарий", 40), Column.integer("n", "№", false));
        List<Object[]> rows = List.of(
                new Object[] {"a;b", 1L},
                new Object[] {"сказал \"да\"", 2L},
                new Object[] {"строка 1\r\nстрока 2", 3L},
                new Object[] {"a,b", 4L},
                new Object[] {"", 5L});
        Table table = new Table("Заметки", "Заметки", Table.Kind.DETAIL, columns, rows::stream);

        for (CsvProfile profile : CsvProfile.values()) {
            String text = new String(write(profile, CsvCharset.WINDOWS_1251, table), Charset.forName("windows-1251"));
            List<String[]> lines = parse(text, profile.separator());
            assertThat(lines).hasSize(6);
            for (int i = 0; i < rows.size(); i++) {
                // OpenCSV's reader joins the lines of a quoted field with a bare \n.
                String note = ((String) rows.get(i)[0]).replace("\r\n", "\n");
                assertThat(lines.get(i + 1)).containsExactly(note, String.valueOf(i + 1));
            }
        }
        String excel = new String(write(CsvProfile.EXCEL_RU, CsvCharset.WINDOWS_1251, table), "windows-1251");
        assertThat(excel)
                .contains(
                        "\r\n\"a;b\";1\r\n",
                        "\r\n\"строка 1\r\nстрока 2\";3\r\n",
                        "\r\n\"сказал \"\"да\"\"\";2\r\n",
                        "\r\na,b;4\r\n");
    }

    @Test
    void summaryTablesAreSkippedWithoutReadingThem() throws IOException {
        Iterator<Object[]> untouchable = new Iterator<>() {
            @Override
            public boolean hasNext() {
                throw new AssertionError("a summary table's rows were read");
            }

            @Override
            public Object[] next() {
                throw new AssertionError("a summary table's rows were read");
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ReportWriter writer = new CsvReportWriters().open(Fixture.header(), out)) {
            writer.table(Fixture.summary(), untouchable);
            assertThat(out.size()).isZero();
            try (Stream<Object[]> rows = Fixture.detail().rows().get()) {
                writer.table(Fixture.detail(), rows.iterator());
            }
            int size = out.size();
            writer.finish(Fixture.summaryOf(Fixture.detail()));
            assertThat(out.size()).isEqualTo(size);
        }
    }

    @Test
    void aReportWithoutADetailTableIsAnError() {
        assertThatThrownBy(() -> write(CsvProfile.PLAIN, CsvCharset.UTF_8, Fixture.summary()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("detail table");
    }
}

package io.kopek.provider.registry;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kopek.provider.RegistryLimits;
import io.kopek.provider.RegistryLine;
import io.kopek.provider.RegistryRejectedException;
import io.kopek.provider.RegistrySink;
import io.kopek.provider.RejectedLine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/**
 * Files made to exhaust memory: each is rejected whole with a reason a person can read, within the limits, and never
 * an OutOfMemoryError.
 */
class HostileRegistryTest {

    static final String HEADER = "payment_id;order;operation;amount;time\r\n";
    static final RegistrySink NOWHERE = new RegistrySink() {
        @Override
        public void line(RegistryLine line) {}

        @Override
        public void rejected(RejectedLine line) {}
    };

    final ColumnMappedRegistryParser parser = parser();

    static ColumnMappedRegistryParser parser() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("payment-id", "payment_id");
        columns.put("order-number", "order");
        columns.put("operation", "operation");
        columns.put("amount", "amount");
        columns.put("time", "time");
        return new ColumnMappedRegistryParser(new RegistrySettings(
                        "hostile_(?<date>\\d{8})\\.(csv|xlsx)",
                        "yyyyMMdd",
                        "auto",
                        ";",
                        "comma",
                        "dd.MM.yyyy HH:mm:ss",
                        "Europe/Moscow",
                        "RUB",
                        columns,
                        Map.of("PAY", "payment"),
                        null,
                        null,
                        "per-line")
                .format("hostile"));
    }

    void parse(InputStream in, String name, RegistryLimits limits) {
        parser.parse(in, name, NOWHERE, limits);
    }

    /** {@code count} bytes of {@code unit} repeated, made as they are read. */
    static InputStream repeated(String unit, long count) {
        byte[] bytes = unit.getBytes(StandardCharsets.UTF_8);
        return new InputStream() {
            long at;

            @Override
            public int read() {
                return at < count ? bytes[(int) (at++ % bytes.length)] : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (at >= count) {
                    return -1;
                }
                int n = (int) Math.min(length, count - at);
                for (int i = 0; i < n; i++) {
                    buffer[offset + i] = bytes[(int) (at++ % bytes.length)];
                }
                return n;
            }
        };
    }

    static InputStream concat(String head, InputStream body) {
        return new java.io.SequenceInputStream(new ByteArrayInputStream(head.getBytes(StandardCharsets.UTF_8)), body);
    }

    @Test
    void aHugeLineIsRejectedWithoutReadingItWhole() {
        // 2 GB on one line: read whole, a String of it would not fit in the test's heap
        InputStream file = concat(HEADER + "tp-1;", repeated("7", 2L << 30));

        assertThatThrownBy(() -> parse(file, "hostile_20261124.csv", RegistryLimits.DEFAULTS))
                .isInstanceOf(RegistryRejectedException.class)
                .hasMessageContaining("a line longer than 65536 characters")
                .hasMessageContaining("line 2");
    }

    @Test
    void aQuoteNeverClosedIsRejectedInsteadOfGatheringTheRestOfTheFile() {
        InputStream file = concat(
                HEADER + "tp-1;\"INV-1;PAY;1,00;24.11.2026 12:00:00\r\n",
                repeated("tp-2;INV-2;PAY;1,00;24.11.2026 12:00:01\r\n", 500L << 20));

        assertThatThrownBy(() -> parse(file, "hostile_20261124.csv", RegistryLimits.DEFAULTS))
                .isInstanceOf(RegistryRejectedException.class)
                .hasMessageContaining("spans more than 100 lines");
    }

    @Test
    void aFileOverTheSizeLimitIsRejected() {
        InputStream file = concat(HEADER, repeated("tp-2;INV-2;PAY;1,00;24.11.2026 12:00:01\r\n", 2 << 20));

        assertThatThrownBy(() -> parse(file, "hostile_20261124.csv", new RegistryLimits(1 << 20, 1000, 10, 1 << 20)))
                .isInstanceOf(RegistryRejectedException.class)
                .hasMessageContaining("too large: over 1048576 bytes");
    }

    @Test
    void aWorkbookWithAHugeSharedStringsTableIsRejected() throws IOException {
        // 4 MB of distinct strings, over a limit of 1 MB: POI would hold every one in memory
        StringBuilder strings = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">");
        for (int i = 0; strings.length() < 4 << 20; i++) {
            strings.append("<si><t>string number ").append(i).append("</t></si>");
        }
        strings.append("</sst>");
        byte[] workbook = workbookWithSharedStrings(
                new ByteArrayInputStream(strings.toString().getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> parse(
                        new ByteArrayInputStream(workbook),
                        "hostile_20261124.xlsx",
                        new RegistryLimits(1 << 30, 65536, 100, 1 << 20)))
                .isInstanceOf(RegistryRejectedException.class)
                .hasMessageContaining("shared-strings table is over 1048576 bytes");
    }

    @Test
    void aZipBombIsRejected() throws IOException {
        // 1 GB of one string inflated from about a megabyte
        byte[] workbook = workbookWithSharedStrings(concat(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                        + "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">",
                repeated("<si><t>a</t></si>", 1L << 30)));

        assertThatThrownBy(() ->
                        parse(new ByteArrayInputStream(workbook), "hostile_20261124.xlsx", RegistryLimits.DEFAULTS))
                .isInstanceOf(RegistryRejectedException.class)
                .hasMessageMatching("(?s).*(shared-strings table is over|Zip bomb).*");
    }

    /** A real workbook (POI's), its shared-strings part replaced by {@code strings}. */
    static byte[] workbookWithSharedStrings(InputStream strings) throws IOException {
        ByteArrayOutputStream small = new ByteArrayOutputStream();
        try (XSSFWorkbook workbook = new XSSFWorkbook()) {
            var row = workbook.createSheet("registry").createRow(0);
            String[] header = HEADER.strip().split(";");
            for (int i = 0; i < header.length; i++) {
                row.createCell(i).setCellValue(header[i]);
            }
            workbook.write(small);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(small.toByteArray()));
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                zip.putNextEntry(new ZipEntry(entry.getName()));
                copy(entry.getName().equals("xl/sharedStrings.xml") ? strings : in, zip);
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    static void copy(InputStream in, OutputStream out) throws IOException {
        in.transferTo(out);
    }
}

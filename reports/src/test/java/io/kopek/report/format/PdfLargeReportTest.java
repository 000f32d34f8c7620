package io.kopek.report.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.report.Column;
import io.kopek.report.ColumnType;
import io.kopek.report.ReportSummary;
import io.kopek.report.ReportSummary.ControlTotal;
import io.kopek.report.ReportSummary.TableSummary;
import io.kopek.report.Table;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 100,000-row table streams through the PDF writer in bounded memory. The live heap (what a full collection leaves)
 * is measured every 20,000 rows as the fill pulls them and every 2 MiB of PDF as the export writes it. Filled pages kept
 * in memory grow it by about 1 KiB a row of this table (107 MiB at the end, measured with the virtualizer taken out);
 * swapped out to the writer's file, it stays flat. The rows come from a generator, never a list.
 */
class PdfLargeReportTest {

    static final long ROWS = 100_000;
    static final long MiB = 1024 * 1024;

    final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long baseline;
    long peak;

    @TempDir
    Path temp;

    @Test
    void aHundredThousandRowsFillAndExportInBoundedHeap() throws IOException {
        Table payments = new Table(
                "payments",
                "Платежи",
                Table.Kind.DETAIL,
                List.of(
                        Column.integer("payment_id", "№ платежа", false),
                        Column.date("business_date", "Дата"),
                        Column.text("customer", "Покупатель", 30),
                        Column.money("amount", "Сумма, ₽")),
                () -> LongStream.rangeClosed(1, ROWS)
                        .mapToObj(i -> new Object[] {i, LocalDate.of(2026, 12, 1), "Покупатель № " + i, 123_456L}));
        Path file = temp.resolve("payments.pdf");
        baseline = liveHeap();
        peak = baseline;

        try (OutputStream out = new Sampling(new BufferedOutputStream(Files.newOutputStream(file)));
                ReportWriter writer = new PdfReportWriters(temp).open(PdfReportWritersTest.HEADER, out);
                Stream<Object[]> rows = payments.rows().get()) {
            long start = System.nanoTime();
            writer.table(payments, sampling(rows.iterator()));
            long filled = System.nanoTime();
            writer.finish(new ReportSummary(List.of(new TableSummary(
                    "payments",
                    ROWS,
                    List.of(new ControlTotal(
                            "amount", "Сумма, ₽", ColumnType.MONEY, BigDecimal.valueOf(123_456 * ROWS)))))));
            System.out.printf(
                    "PDF of %d rows: filled in %d s, exported in %d s, the JVM's CPU %d s%n",
                    ROWS,
                    (filled - start) / 1_000_000_000,
                    (System.nanoTime() - filled) / 1_000_000_000,
                    ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                                    .getProcessCpuTime()
                            / 1_000_000_000);
        }
        System.out.printf(
                "PDF of %d rows: %d MiB, live heap %d MiB at the start, %d MiB at most%n",
                ROWS, Files.size(file) / MiB, baseline / MiB, peak / MiB);

        assertThat((peak - baseline) / MiB)
                .as("live heap grown over the run, MiB")
                .isLessThan(64);
        assertThat(peak / MiB).as("live heap, MiB").isLessThan(256);
        try (PDDocument document = Loader.loadPDF(file.toFile())) {
            int pages = document.getNumberOfPages();
            assertThat(pages).isGreaterThan(2_000);
            assertThat(PdfReportWritersTest.text(document, pages, pages))
                    .contains("Итого 123 456 000,00")
                    .contains("Строк в таблице: 100 000")
                    .contains("Страница " + pages + " из " + pages);
        }
    }

    private Iterator<Object[]> sampling(Iterator<Object[]> rows) {
        return new Iterator<>() {
            long pulled;

            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Object[] next() {
                if (++pulled % 20_000 == 0) {
                    sample();
                }
                return rows.next();
            }
        };
    }

    private void sample() {
        peak = Math.max(peak, liveHeap());
    }

    private long liveHeap() {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Samples the live heap every 2 MiB written. */
    private final class Sampling extends FilterOutputStream {
        long written;

        Sampling(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if ((written + len) / (2 * MiB) > written / (2 * MiB)) {
                sample();
            }
            written += len;
            out.write(b, off, len);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }
    }
}

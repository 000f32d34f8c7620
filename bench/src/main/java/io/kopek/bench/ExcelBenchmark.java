package io.kopek.bench;

import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.NewCustomer;
import io.kopek.report.Column;
import io.kopek.report.CsvProfile;
import io.kopek.report.NewReportRun;
import io.kopek.report.ReportDefinition;
import io.kopek.report.ReportFilters;
import io.kopek.report.ReportFormat;
import io.kopek.report.ReportGenerator;
import io.kopek.report.ReportQuery;
import io.kopek.report.ReportRun;
import io.kopek.report.ReportRuns;
import io.kopek.report.ReportSummary;
import io.kopek.report.ReportType;
import io.kopek.report.Table;
import io.kopek.report.format.ReportHeader;
import io.kopek.report.format.ReportWriter;
import io.kopek.report.format.XlsxReportWriters;
import io.kopek.testing.ScratchDatabase;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.postgresql.PGConnection;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.FileSystemUtils;

/**
 * A payments register of a month, a million rows, written as XLSX through the report path: a run requested
 * ({@link ReportRuns}) and generated ({@link ReportGenerator}: one read-only repeatable-read transaction, the payments
 * report's rows streamed from the database's cursor, counted and summed as they pass, the workbook writer with its
 * styles, title sheet, filter and totals, the file hashed and kept in the store); against the floor measured in the
 * same run: the same report's rows, from the same definition (the catalogue's {@code PaymentsReport}) in the same kind of transaction, written by a bare
 * SXSSF workbook (the same window and compressed temporary files, a header row, numbers, a date style for each kind
 * of date and nothing else).
 */
class ExcelBenchmark implements Benchmark {

    static final ZoneId ZONE = ZoneId.of("Europe/Moscow");
    static final LocalDate FROM = LocalDate.of(2026, 11, 1);
    static final LocalDate TO = LocalDate.of(2026, 11, 30);
    static final String[] METHODS = {"card", "bank_transfer", "balance"};

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @ComponentScan(
            basePackages = {
                "io.kopek.ledger",
                "io.kopek.customer",
                "io.kopek.catalog",
                "io.kopek.outbox",
                "io.kopek.calendar",
                "io.kopek.report"
            })
    static class Reports {}

    @Override
    public String description() {
        return "a 1,000,000-row payments register as XLSX through the report path vs a bare SXSSF writer (--rows=1000000 --rounds=3)";
    }

    @Override
    public Result run(Options options) throws Exception {
        int rows = options.intValue("rows", 1_000_000);
        int rounds = options.intValue("rounds", 3);
        Path dir = Files.createTempDirectory("kopek-excel-bench");
        Path bare = dir.resolve("bare.xlsx");
        List<Double> seconds = new ArrayList<>();
        List<Double> bareSeconds = new ArrayList<>();
        long peakHeap = 0;
        try (ScratchDatabase db = ScratchDatabase.create("kopek_bench");
                ConfigurableApplicationContext context = new SpringApplicationBuilder(Reports.class)
                        .web(WebApplicationType.NONE)
                        .logStartupInfo(false)
                        .properties(Map.of(
                                "spring.main.banner-mode", "off",
                                "logging.level.root", "warn",
                                "kopek.business-zone", ZONE.getId(),
                                "kopek.reports.directory", dir.resolve("store").toString(),
                                "spring.datasource.url", db.url()))
                        // On the command line: above a test JVM's own spring.datasource.url (a system property), so
                        // that a
                        // benchmark run by BenchmarksTest measures its own database, not the test's.
                        .run("--spring.datasource.url=" + db.url())) {
            DataSource dataSource = context.getBean(DataSource.class);
            long customer = context.getBean(Customers.class)
                    .create(new NewCustomer(
                            CustomerType.COMPANY, "Bench buyer", "bench@example.ru", null, "7700000001"))
                    .id();
            long started = System.nanoTime();
            loadPayments(dataSource, customer, rows);
            context.getBean(JdbcTemplate.class).execute("analyze payment");
            System.out.printf(
                    "excel: %d payments loaded in %.1f s, %d rounds%n",
                    rows, (System.nanoTime() - started) / 1e9, rounds);

            ReportRuns runs = context.getBean(ReportRuns.class);
            ReportGenerator generator = context.getBean(ReportGenerator.class);
            Floor floor = new Floor(context);
            ReportFilters month = new ReportFilters(FROM, TO, null, null, null, null, null, null, null, null);
            warmUp(context.getBean(XlsxReportWriters.class));
            long reading = System.nanoTime();
            long read = floor.read();
            System.out.printf(
                    "reading the report's %d rows alone (the query through the cursor, nothing written): %.3f s%n",
                    read, (System.nanoTime() - reading) / 1e9);
            for (int round = 1; round <= rounds; round++) {
                // Taking turns at going first, so that neither always meets a warmer cache.
                boolean reportFirst = round % 2 == 1;
                if (!reportFirst) {
                    bareSeconds.add(floor.time(bare, rows));
                }
                ReportRun run = runs.request(NewReportRun.of(ReportType.PAYMENTS, ReportFormat.XLSX, month), "bench");
                System.gc();
                PeakHeap.reset();
                long start = System.nanoTime();
                ReportRun done = generator.generate(run.id());
                seconds.add((System.nanoTime() - start) / 1e9);
                peakHeap = Math.max(peakHeap, PeakHeap.peak());
                if (done.rowCount() == null || done.rowCount() != rows) {
                    throw new IllegalStateException("the report wrote " + done.rowCount() + " rows of " + rows);
                }
                Path file = runs.file(run.id()).path();
                long size = Files.size(file);
                Files.delete(file);
                if (reportFirst) {
                    bareSeconds.add(floor.time(bare, rows));
                }
                System.out.printf(
                        "round %d/%d: report %.3f s (%.1f MB), bare SXSSF %.3f s (%.1f MB), peak heap %d MB%n",
                        round,
                        rounds,
                        seconds.getLast(),
                        size / 1e6,
                        bareSeconds.getLast(),
                        Files.size(bare) / 1e6,
                        PeakHeap.peak() / (1024 * 1024));
            }
        } finally {
            Files.deleteIfExists(bare);
            FileSystemUtils.deleteRecursively(dir);
        }
        double median = Result.median(seconds);
        double floor = Result.median(bareSeconds);
        return new Result()
                .put("rows", (long) rows)
                .put("seconds", median)
                .put("bare_seconds", floor)
                .put("ratio", median / floor)
                .put("peak_heap_mb", peakHeap / (1024 * 1024));
    }

    /**
     * Both writers once over a few rows, untimed: loading POI's classes and its XML schemas takes seconds the first
     * time, which would otherwise fall on whichever goes first.
     */
    private static void warmUp(XlsxReportWriters writers) throws IOException {
        List<Column> columns = List.of(
                Column.timestamp("at", "Время"), Column.text("text", "Текст", 10), Column.money("amount", "Сумма"));
        List<Object[]> rows = java.util.stream.IntStream.range(0, 1000)
                .mapToObj(i -> new Object[] {LocalDateTime.now(ZONE), "row " + i, (long) i})
                .toList();
        Table table = new Table("Разогрев", "Разогрев", Table.Kind.DETAIL, columns, rows::stream);
        ReportHeader header = new ReportHeader(
                0,
                ReportType.PAYMENTS,
                List.of(),
                LocalDateTime.now(ZONE),
                0,
                CsvProfile.EXCEL_RU,
                CsvProfile.CsvCharset.UTF_8);
        try (ReportWriter writer = writers.open(header, OutputStream.nullOutputStream())) {
            writer.table(table, rows.iterator());
            writer.finish(new ReportSummary(List.of()));
        }
        Floor.write(table, OutputStream.nullOutputStream());
    }

    /**
     * The floor: the payments report's own rows (its definition, in a read-only repeatable-read transaction as the
     * generator opens) into a bare SXSSF workbook: values set straight from the row, one style per kind of date
     * (without one a date is a bare number) and nothing else.
     */
    static final class Floor {
        private final ReportDefinition payments;
        private final TransactionTemplate transaction;

        Floor(ConfigurableApplicationContext context) {
            this.payments = context.getBeansOfType(ReportDefinition.class).values().stream()
                    .filter(d -> d.type() == ReportType.PAYMENTS)
                    .findFirst()
                    .orElseThrow();
            this.transaction = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            transaction.setReadOnly(true);
            transaction.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        }

        double time(Path file, int rows) {
            long start = System.nanoTime();
            long written = transaction.execute(status -> write(file));
            double seconds = (System.nanoTime() - start) / 1e9;
            if (written != rows) {
                throw new IllegalStateException("the floor wrote " + written + " rows of " + rows);
            }
            return seconds;
        }

        /** The rows alone, read and dropped: what the database and the cursor cost. */
        long read() {
            return transaction.execute(status -> {
                try (Stream<Object[]> rows = register().rows().get()) {
                    return rows.count();
                }
            });
        }

        private Table register() {
            ReportFilters month = new ReportFilters(FROM, TO, null, null, null, null, null, null, null, null);
            return payments.tables(new ReportQuery(ReportType.PAYMENTS, month, 0, LocalDateTime.now(ZONE))).stream()
                    .filter(t -> t.kind() == Table.Kind.DETAIL)
                    .findFirst()
                    .orElseThrow();
        }

        private long write(Path file) {
            Table table = register();
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                return write(table, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static long write(Table table, OutputStream out) {
            List<Column> columns = table.columns();
            SXSSFWorkbook workbook = new SXSSFWorkbook(null, 100, true, false);
            try (Stream<Object[]> rows = table.rows().get()) {
                CellStyle date = workbook.createCellStyle();
                date.setDataFormat(workbook.createDataFormat().getFormat("dd.mm.yyyy"));
                CellStyle timestamp = workbook.createCellStyle();
                timestamp.setDataFormat(workbook.createDataFormat().getFormat("dd.mm.yyyy hh:mm"));
                SXSSFSheet sheet = workbook.createSheet(table.name());
                Row header = sheet.createRow(0);
                for (int i = 0; i < columns.size(); i++) {
                    header.createCell(i).setCellValue(columns.get(i).title());
                }
                int r = 1;
                for (Iterator<Object[]> it = rows.iterator(); it.hasNext(); ) {
                    Object[] values = it.next();
                    Row row = sheet.createRow(r++);
                    for (int i = 0; i < values.length; i++) {
                        Object value = values[i];
                        if (value == null) {
                            continue;
                        }
                        Cell cell = row.createCell(i);
                        switch (columns.get(i).type()) {
                            case TEXT -> cell.setCellValue((String) value);
                            case DATE -> {
                                cell.setCellValue((LocalDate) value);
                                cell.setCellStyle(date);
                            }
                            case TIMESTAMP -> {
                                cell.setCellValue((LocalDateTime) value);
                                cell.setCellStyle(timestamp);
                            }
                            case MONEY -> cell.setCellValue((Long) value / 100.0);
                            case INTEGER -> cell.setCellValue((Long) value);
                            case DECIMAL -> cell.setCellValue(((BigDecimal) value).doubleValue());
                        }
                    }
                }
                workbook.write(out);
                return r - 1;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                workbook.dispose();
                try {
                    workbook.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /**
     * A month of payments, a third each by card (with the provider's id), by bank transfer and from the balance,
     * one in ten partly refunded; copied in chunks so that the set-up itself needs little memory.
     */
    static void loadPayments(DataSource dataSource, long customer, int rows) throws Exception {
        long start = FROM.atStartOfDay(ZONE).toInstant().toEpochMilli();
        long spread = TO.plusDays(1).atStartOfDay(ZONE).toInstant().toEpochMilli() - start;
        int chunk = 100_000;
        try (Connection connection = dataSource.getConnection()) {
            for (int from = 0; from < rows; from += chunk) {
                StringBuilder csv = new StringBuilder();
                for (int i = from; i < Math.min(rows, from + chunk); i++) {
                    String method = METHODS[i % 3];
                    long amount = 100 + (i * 7919L) % 5_000_000;
                    csv.append(customer)
                            .append(",top_up,")
                            .append(method)
                            .append(',')
                            .append(method.equals("card") ? "yookassa" : "")
                            .append(",succeeded,")
                            .append(amount)
                            .append(',')
                            .append(i % 10 == 0 ? amount / 2 : 0)
                            .append(",RUB,")
                            .append(
                                    method.equals("card")
                                            ? "yk-" + customer + "-" + i
                                            : "") // unique per load: one database may hold two
                            .append(',')
                            .append(new Timestamp(start + spread * i / rows).toInstant())
                            .append('\n');
                }
                connection
                        .unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn(
                                "copy payment (customer_id, purpose, method, provider, status, amount, refunded_amount,"
                                        + " currency, provider_payment_id, created_at) from stdin with (format csv)",
                                new StringReader(csv.toString()));
            }
        }
    }
}

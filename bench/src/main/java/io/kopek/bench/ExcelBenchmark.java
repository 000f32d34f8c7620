package io.kopek.bench;

import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.NewCustomer;
import io.kopek.report.Column;
import io.kopek.report.CsvProfile;
import io.kopek.report.ReportSql;
import io.kopek.report.ReportSummary;
import io.kopek.report.ReportType;
import io.kopek.report.Table;
import io.kopek.report.format.ReportHeader;
import io.kopek.report.format.ReportWriter;
import io.kopek.report.format.XlsxReportWriters;
import io.kopek.testing.ScratchDatabase;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
import org.springframework.context.annotation.FilterType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A payments register of a month, a million rows, written as XLSX through the report path (rows streamed from the
 * database's cursor inside a read-only transaction, counted and summed as they pass, the workbook writer with its
 * styles, title sheet, filter and totals); against the floor measured in the same run: the same rows read with plain
 * JDBC from the same query and written by a bare SXSSF workbook (the same window and compressed temporary files, a
 * header, numbers, a date style for the dates and nothing else).
 */
class ExcelBenchmark implements Benchmark {

    static final ZoneId ZONE = ZoneId.of("Europe/Moscow");
    static final LocalDate FROM = LocalDate.of(2026, 11, 1);
    static final LocalDate TO = LocalDate.of(2026, 11, 30);
    static final String[] METHODS = {"card", "bank_transfer", "balance"};

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @ComponentScan(basePackages = {"io.kopek.ledger", "io.kopek.customer", "io.kopek.outbox", "io.kopek.calendar"})
    @ComponentScan(
            basePackages = "io.kopek.report",
            useDefaultFilters = false,
            includeFilters =
                    @ComponentScan.Filter(
                            type = FilterType.ASSIGNABLE_TYPE,
                            classes = {ReportSql.class, XlsxReportWriters.class}))
    static class Reports {}

    /** The register's columns, as the payments report shows them. */
    static final List<Column> COLUMNS = List.of(
            Column.integer("payment_id", "№ платежа", false),
            Column.date("business_date", "Дата"),
            Column.timestamp("created_at", "Время"),
            Column.integer("customer_id", "Покупатель", false),
            Column.text("method", "Способ оплаты", 14),
            Column.text("provider", "Провайдер", 12),
            Column.text("provider_payment_id", "№ у провайдера", 16),
            Column.money("amount", "Сумма, руб."),
            Column.money("refunded_amount", "Возвращено, руб."),
            Column.text("currency", "Валюта", 6));

    static final String SQL = """
            select payment_id, (created_at at time zone :zone)::date, created_at at time zone :zone, customer_id,
                   method, provider, provider_payment_id, amount, refunded_amount, currency
            from billing_payment
            where created_at >= :from and created_at < :to
            order by payment_id""";

    @Override
    public String description() {
        return "a 1,000,000-row payments register as XLSX through the report path vs a bare SXSSF writer (--rows=1000000 --rounds=3)";
    }

    @Override
    public Result run(Options options) throws Exception {
        int rows = options.intValue("rows", 1_000_000);
        int rounds = options.intValue("rounds", 3);
        Path dir = Files.createTempDirectory("kopek-excel-bench");
        Path report = dir.resolve("payments.xlsx");
        Path bare = dir.resolve("bare.xlsx");
        List<Double> seconds = new ArrayList<>();
        List<Double> bareSeconds = new ArrayList<>();
        long peakHeap = 0;
        try (ScratchDatabase db = ScratchDatabase.create("kopek_bench");
                ConfigurableApplicationContext context = new SpringApplicationBuilder(Reports.class)
                        .web(WebApplicationType.NONE)
                        .logStartupInfo(false)
                        .properties(Map.of(
                                "spring.main.banner-mode",
                                "off",
                                "logging.level.root",
                                "warn",
                                "kopek.business-zone",
                                ZONE.getId(),
                                "spring.datasource.url",
                                db.url()))
                        .run()) {
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

            ReportPath path = new ReportPath(context);
            for (int round = 1; round <= rounds; round++) {
                // Taking turns at going first, so that neither always meets a warmer cache.
                boolean reportFirst = round % 2 == 1;
                if (!reportFirst) {
                    bareSeconds.add(timeBare(dataSource, bare, rows));
                }
                System.gc();
                resetPeakHeap();
                long start = System.nanoTime();
                ReportSummary summary = path.write(report);
                seconds.add((System.nanoTime() - start) / 1e9);
                peakHeap = Math.max(peakHeap, peakHeap());
                if (summary.rows() != rows) {
                    throw new IllegalStateException("the report wrote " + summary.rows() + " rows of " + rows);
                }
                if (reportFirst) {
                    bareSeconds.add(timeBare(dataSource, bare, rows));
                }
                System.out.printf(
                        "round %d/%d: report %.3f s (%.1f MB), bare SXSSF %.3f s (%.1f MB), peak heap %d MB%n",
                        round,
                        rounds,
                        seconds.getLast(),
                        Files.size(report) / 1e6,
                        bareSeconds.getLast(),
                        Files.size(bare) / 1e6,
                        peakHeap() / (1024 * 1024));
            }
        } finally {
            Files.deleteIfExists(report);
            Files.deleteIfExists(bare);
            Files.deleteIfExists(dir);
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

    private static double timeBare(DataSource dataSource, Path file, int rows) throws Exception {
        long start = System.nanoTime();
        long written = bare(dataSource, file);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (written != rows) {
            throw new IllegalStateException("the floor wrote " + written + " rows of " + rows);
        }
        return seconds;
    }

    /**
     * The report path as the generator runs it: one read-only repeatable-read transaction, the rows from the
     * cursor, counted and summed on their way to the writer, the title sheet and totals at the end.
     */
    static final class ReportPath {
        private final ReportSql sql;
        private final XlsxReportWriters writers;
        private final TransactionTemplate transaction;

        ReportPath(ConfigurableApplicationContext context) {
            this.sql = context.getBean(ReportSql.class);
            this.writers = context.getBean(XlsxReportWriters.class);
            this.transaction = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            transaction.setReadOnly(true);
            transaction.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        }

        ReportSummary write(Path file) {
            return transaction.execute(status -> {
                MapSqlParameterSource parameters = new MapSqlParameterSource()
                        .addValue("zone", ZONE.getId())
                        .addValue("from", FROM.atStartOfDay(ZONE).toOffsetDateTime())
                        .addValue("to", TO.plusDays(1).atStartOfDay(ZONE).toOffsetDateTime());
                Table table = new Table(
                        "Платежи",
                        "Платежи за период",
                        Table.Kind.DETAIL,
                        COLUMNS,
                        () -> sql.rows(SQL, parameters, COLUMNS));
                ReportHeader header = new ReportHeader(
                        1L,
                        ReportType.PAYMENTS,
                        List.of(new ReportHeader.FilterLine("Период", "01.11.2026 — 30.11.2026")),
                        LocalDateTime.now(ZONE),
                        0L,
                        CsvProfile.EXCEL_RU,
                        CsvProfile.CsvCharset.UTF_8);
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                        ReportWriter writer = writers.open(header, out);
                        Stream<Object[]> rows = table.rows().get()) {
                    Totals totals = new Totals(table, rows.iterator());
                    writer.table(table, totals);
                    ReportSummary summary = new ReportSummary(List.of(totals.summary()));
                    writer.finish(summary);
                    return summary;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }

    /** Counts and sums the rows as they pass, as the generator does. */
    static final class Totals implements Iterator<Object[]> {
        private final Table table;
        private final Iterator<Object[]> rows;
        private final long[] sums;
        private long count;

        Totals(Table table, Iterator<Object[]> rows) {
            this.table = table;
            this.rows = rows;
            this.sums = new long[table.columns().size()];
        }

        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public Object[] next() {
            Object[] row = rows.next();
            count++;
            for (int i = 0; i < sums.length; i++) {
                if (table.columns().get(i).summed() && row[i] != null) {
                    sums[i] = Math.addExact(sums[i], (Long) row[i]);
                }
            }
            return row;
        }

        ReportSummary.TableSummary summary() {
            List<ReportSummary.ControlTotal> totals = new ArrayList<>();
            for (int i = 0; i < sums.length; i++) {
                Column column = table.columns().get(i);
                if (column.summed()) {
                    totals.add(new ReportSummary.ControlTotal(
                            column.name(), column.title(), column.type(), BigDecimal.valueOf(sums[i])));
                }
            }
            return new ReportSummary.TableSummary(table.name(), count, totals);
        }
    }

    /**
     * The floor: the same query through plain JDBC, the cells set straight from the result set, one style per kind
     * of date (without one a date is a bare number) and nothing else.
     */
    static long bare(DataSource dataSource, Path file) throws Exception {
        String sql = SQL.replace(":zone", "?").replace(":from", "?").replace(":to", "?");
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false); // PostgreSQL streams from a cursor only inside a transaction
            connection.setReadOnly(true);
            SXSSFWorkbook workbook = new SXSSFWorkbook(null, 100, true, false);
            try (PreparedStatement query = connection.prepareStatement(sql);
                    OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                query.setFetchSize(1000);
                query.setString(1, ZONE.getId());
                query.setString(2, ZONE.getId());
                query.setObject(3, FROM.atStartOfDay(ZONE).toOffsetDateTime());
                query.setObject(4, TO.plusDays(1).atStartOfDay(ZONE).toOffsetDateTime());
                CellStyle date = workbook.createCellStyle();
                date.setDataFormat(workbook.createDataFormat().getFormat("dd.mm.yyyy"));
                CellStyle timestamp = workbook.createCellStyle();
                timestamp.setDataFormat(workbook.createDataFormat().getFormat("dd.mm.yyyy hh:mm"));
                SXSSFSheet sheet = workbook.createSheet("Платежи");
                Row header = sheet.createRow(0);
                for (int i = 0; i < COLUMNS.size(); i++) {
                    header.createCell(i).setCellValue(COLUMNS.get(i).title());
                }
                int r = 1;
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        Row row = sheet.createRow(r++);
                        row.createCell(0).setCellValue(rs.getLong(1));
                        Cell day = row.createCell(1);
                        day.setCellValue(rs.getObject(2, LocalDate.class));
                        day.setCellStyle(date);
                        Cell at = row.createCell(2);
                        at.setCellValue(rs.getObject(3, LocalDateTime.class));
                        at.setCellStyle(timestamp);
                        row.createCell(3).setCellValue(rs.getLong(4));
                        row.createCell(4).setCellValue(rs.getString(5));
                        text(row, 5, rs.getString(6));
                        text(row, 6, rs.getString(7));
                        row.createCell(7).setCellValue(rs.getLong(8) / 100.0);
                        row.createCell(8).setCellValue(rs.getLong(9) / 100.0);
                        row.createCell(9).setCellValue(rs.getString(10));
                    }
                }
                workbook.write(out);
                connection.commit();
                return r - 1;
            } finally {
                workbook.close();
            }
        }
    }

    private static void text(Row row, int column, String value) {
        if (value != null) {
            row.createCell(column).setCellValue(value);
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
                            .append(method.equals("card") ? "yk-" + i : "")
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

    private static void resetPeakHeap() {
        ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed())
                .sum();
    }
}

package io.kopek.bench;

import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.NewCustomer;
import io.kopek.ingest.RegistryFile;
import io.kopek.ingest.RegistryImport;
import io.kopek.provider.RegistryParser;
import io.kopek.provider.registry.ColumnMappedRegistryParser;
import io.kopek.provider.registry.RegistrySettings;
import io.kopek.reconciliation.Reconciliation;
import io.kopek.reconciliation.ReconciliationRun;
import io.kopek.testing.ScratchDatabase;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A business day of registry lines, imported (parsed and loaded with {@code COPY}) and reconciled against as many
 * card payments, with a realistic share of discrepancies; against the floors measured in the same run: raw
 * {@code COPY} of the same file into an unindexed table plus one join of it against the payments that writes a result
 * per line ({@code floor_seconds}, the honest floor), or only counts them ({@code bare_floor_seconds}).
 */
class ReconBenchmark implements Benchmark {

    static final String PROVIDER = "benchpay";
    static final LocalDate DAY = LocalDate.of(2026, 11, 24);
    static final ZoneId ZONE = ZoneId.of("Europe/Moscow");
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm:ss");

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @ComponentScan(
            basePackages = {
                "io.kopek.ledger",
                "io.kopek.customer",
                "io.kopek.catalog",
                "io.kopek.pricing",
                "io.kopek.billing",
                "io.kopek.outbox",
                "io.kopek.calendar",
                "io.kopek.partition",
                "io.kopek.ingest",
                "io.kopek.reconciliation"
            })
    static class Batch {
        /** A registry as a processing centre configured in YAML would describe it. */
        @Bean
        RegistryParser benchRegistry() {
            Map<String, String> columns = new LinkedHashMap<>();
            columns.put("payment-id", "payment_id");
            columns.put("order-number", "order");
            columns.put("operation", "operation");
            columns.put("amount", "amount");
            columns.put("commission", "commission");
            columns.put("time", "time");
            columns.put("card-mask", "card");
            return new ColumnMappedRegistryParser(new RegistrySettings(
                            PROVIDER + "_(?<date>\\d{8})\\.csv",
                            "yyyyMMdd",
                            "utf-8",
                            ";",
                            "comma",
                            "dd.MM.yyyy HH:mm:ss",
                            ZONE.getId(),
                            "RUB",
                            columns,
                            Map.of("PAY", "payment", "REF", "refund"),
                            null,
                            null,
                            "per-line")
                    .format(PROVIDER));
        }
    }

    @Override
    public String description() {
        return "a registry day imported with COPY and reconciled vs COPY + one join writing a result per line (--lines=1000000 --rounds=3 --warmup=1 --reruns=1 --partitions=N --threads=N: the reconciliation's own by default)";
    }

    @Override
    public Result run(Options options) throws Exception {
        int lines = options.intValue("lines", 1_000_000);
        int rounds = options.intValue("rounds", 3);
        Path dir = Files.createTempDirectory("kopek-recon-bench");
        Path registry = dir.resolve(PROVIDER + "_" + DAY.format(DateTimeFormatter.BASIC_ISO_DATE) + ".csv");
        List<Double> seconds = new ArrayList<>();
        List<Double> importSeconds = new ArrayList<>();
        List<Double> floorSeconds = new ArrayList<>();
        List<Double> bareFloorSeconds = new ArrayList<>();
        List<Long> heaps = new ArrayList<>();
        List<Double> rerunSeconds = new ArrayList<>();
        try (ScratchDatabase db = ScratchDatabase.create("kopek_bench");
                ConfigurableApplicationContext context = new SpringApplicationBuilder(Batch.class)
                        .web(WebApplicationType.NONE)
                        .logStartupInfo(false)
                        .properties(properties(options, db.url()))
                        // On the command line: above a test JVM's own spring.datasource.url (a system property), so
                        // that a
                        // benchmark run by BenchmarksTest measures its own database, not the test's.
                        .run("--spring.datasource.url=" + db.url())) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            DataSource dataSource = context.getBean(DataSource.class);
            RegistryImport imports = context.getBean(RegistryImport.class);
            Reconciliation reconciliation = context.getBean(Reconciliation.class);
            long customer = context.getBean(Customers.class)
                    .create(new NewCustomer(
                            CustomerType.COMPANY, "Bench buyer", "bench@example.ru", null, "7700000001"))
                    .id();
            Day day = Day.generate(lines);
            day.writeRegistry(registry);
            day.loadPayments(dataSource, customer);
            jdbc.execute("analyze payment");
            System.out.printf(
                    "recon: %d registry lines (%.1f MB), %d card payments in the ledger, %d rounds%n",
                    day.registryLines, Files.size(registry) / 1e6, day.ledgerPayments, rounds);
            // Untimed: the import's parser and sink are Java, compiled by the JIT as they run; a first round measured
            // them cold (its import 3.1-3.5 s of the JVM's CPU against 1.3-2.3 s in the rounds after, 2026-12-05), and
            // the median of three was then the slower of the two warm rounds. The floors are SQL alone.
            for (int warmup = options.intValue("warmup", 1); warmup > 0; warmup--) {
                reset(jdbc);
                imports.importFile(PROVIDER, registry);
                reconciliation.run(PROVIDER, DAY);
                System.out.println("recon: a warm-up round, untimed");
            }
            for (int round = 1; round <= rounds; round++) {
                reset(jdbc);
                System.gc();
                PeakHeap.reset();
                // where the CPU goes, the benchmark's JVM's and PostgreSQL's (read from /proc outside the timings)
                long pid = ProcessHandle.current().pid();
                double appCpu = ProcessCpu.millis(pid);
                Map<Long, Long> dbCpu = ProcessCpu.postgres(db.name());
                long start = System.nanoTime();
                RegistryFile file = imports.importFile(PROVIDER, registry);
                double imported = (System.nanoTime() - start) / 1e9;
                double importAppCpu = ProcessCpu.millis(pid) - appCpu;
                double importDbCpu = ProcessCpu.millisSince(dbCpu, ProcessCpu.postgres(db.name()));
                appCpu = ProcessCpu.millis(pid);
                dbCpu = ProcessCpu.postgres(db.name());
                start = System.nanoTime();
                ReconciliationRun run = reconciliation.run(PROVIDER, DAY);
                seconds.add(imported + (System.nanoTime() - start) / 1e9);
                System.out.printf(
                        "cpu: import app %.0f ms, PostgreSQL %.0f ms; reconciliation app %.0f ms, PostgreSQL %.0f ms%n",
                        importAppCpu,
                        importDbCpu,
                        ProcessCpu.millis(pid) - appCpu,
                        ProcessCpu.millisSince(dbCpu, ProcessCpu.postgres(db.name())));
                importSeconds.add(imported);
                heaps.add(PeakHeap.peak());
                if (!file.imported() || file.lines() != day.registryLines) {
                    throw new IllegalStateException("the registry did not import: " + file);
                }
                day.check(run);
                if (options.intValue("reruns", 1) > 0) {
                    // Running the day again must give the same result, and not cost much more.
                    long again = System.nanoTime();
                    ReconciliationRun rerun = reconciliation.run(PROVIDER, DAY);
                    rerunSeconds.add((System.nanoTime() - again) / 1e9);
                    day.check(rerun);
                }

                dropFloor(jdbc);
                start = System.nanoTime();
                floor(dataSource, jdbc, registry, day);
                floorSeconds.add((System.nanoTime() - start) / 1e9);
                dropFloor(jdbc);
                start = System.nanoTime();
                bareFloor(dataSource, jdbc, registry, day);
                bareFloorSeconds.add((System.nanoTime() - start) / 1e9);
                System.out.printf(
                        "round %d/%d: import %.3f s + reconciliation %.3f s = %.3f s (again: %.3f s); floor %.3f s"
                                + " (bare %.3f s); %s%n",
                        round,
                        rounds,
                        imported,
                        seconds.getLast() - imported,
                        seconds.getLast(),
                        rerunSeconds.isEmpty() ? 0 : rerunSeconds.getLast(),
                        floorSeconds.getLast(),
                        bareFloorSeconds.getLast(),
                        run.summary().results());
            }
        } finally {
            Files.deleteIfExists(registry);
            Files.deleteIfExists(dir);
        }
        double median = Result.median(seconds);
        double floor = Result.median(floorSeconds);
        return new Result()
                .put("lines", (long) lines)
                .put("lines_per_s", (long) (lines / median))
                .put("seconds", median)
                .put("floor_seconds", floor)
                .put("bare_floor_seconds", Result.median(bareFloorSeconds))
                .put("ratio", median / floor)
                .put(
                        "peak_heap_mb",
                        heaps.stream().mapToLong(Long::longValue).max().orElse(0) / (1024 * 1024))
                .put("import_seconds", Result.median(importSeconds))
                .put("rerun_seconds", rerunSeconds.isEmpty() ? 0 : Result.median(rerunSeconds));
    }

    /**
     * The batch context's settings: the reconciliation's partitions and threads as production has them (its defaults,
     * {@link io.kopek.reconciliation.ReconciliationProperties}) unless {@code --partitions} or {@code --threads} say.
     */
    private static Map<String, Object> properties(Options options, String url) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.main.banner-mode", "off");
        properties.put("logging.level.root", "warn");
        properties.put("logging.level.io.kopek.reconciliation", System.getProperty("kopek.bench.log", "warn"));
        properties.put("kopek.business-zone", ZONE.getId());
        properties.put("spring.datasource.url", url);
        for (String option : List.of("partitions", "threads")) {
            if (options.values().containsKey(option)) {
                properties.put("kopek.reconciliation." + option, options.intValue(option, 1));
            }
        }
        return properties;
    }

    private static void reset(JdbcTemplate jdbc) {
        jdbc.execute("truncate registry_line, registry_line_rejected, reconciliation_result,"
                + " discrepancy_comment, discrepancy, reconciliation_run, registry_file cascade");
        dropFloor(jdbc);
    }

    private static void dropFloor(JdbcTemplate jdbc) {
        jdbc.execute("drop table if exists bench_floor, bench_floor_result");
    }

    /**
     * The honest floor: the least work any reconciliation that keeps a result per line must do. Raw COPY of the file
     * into an unindexed table of text columns, then one statement that joins it to the payments and writes a row per
     * line into a table shaped like {@code reconciliation_result} (its columns and types, logged as it is; no index,
     * no check, no partition): the amounts read from their texts, the line numbered, the result's class and the
     * ledger's side filled in where the payment id finds a payment.
     */
    private static void floor(DataSource dataSource, JdbcTemplate jdbc, Path registry, Day day) throws Exception {
        copyRaw(dataSource, jdbc, registry);
        jdbc.execute("create table bench_floor_result (like reconciliation_result)");
        int written = jdbc.update("""
                insert into bench_floor_result (run_id, business_date, result, file_id, line_no, payment_id, operation,
                                                provider_payment_id, match_key, registry_amount, ledger_amount,
                                                registry_commission, currency)
                select 1, ?, case when p.id is null then 'missing_in_ledger'
                                  when p.amount <> f.amount then 'amount_mismatch' else 'matched' end,
                       1, f.line_no, p.id, f.operation, f.payment_id,
                       case when p.id is not null then 'provider_payment_id' end, f.amount, p.amount, f.commission,
                       'RUB'
                from (select payment_id, (replace(amount, ',', '.')::numeric * 100)::bigint as amount,
                             (replace(commission, ',', '.')::numeric * 100)::bigint as commission,
                             case operation when 'PAY' then 'payment' else 'refund' end as operation,
                             row_number() over () as line_no
                      from bench_floor) f
                left join payment p on p.provider = ? and p.method = 'card' and p.provider_payment_id = f.payment_id
                """, DAY, PROVIDER);
        if (written != day.registryLines) {
            throw new IllegalStateException(
                    "the floor wrote " + written + " results for " + day.registryLines + " lines");
        }
    }

    /** The floor as it was first measured: raw COPY of the file, then one join counted, nothing written. */
    private static void bareFloor(DataSource dataSource, JdbcTemplate jdbc, Path registry, Day day) throws Exception {
        copyRaw(dataSource, jdbc, registry);
        Long joined = jdbc.queryForObject(
                "select count(*) from bench_floor f join payment p on p.provider = ? and p.method = 'card'"
                        + " and p.provider_payment_id = f.payment_id",
                Long.class,
                PROVIDER);
        if (joined == null || joined < day.registryLines / 2) {
            throw new IllegalStateException("the floor's join found " + joined + " rows");
        }
    }

    /** The registry file as it is, into an unindexed table of text columns. */
    private static void copyRaw(DataSource dataSource, JdbcTemplate jdbc, Path registry) throws Exception {
        jdbc.execute("create table bench_floor (payment_id text, order_number text, operation text, amount text,"
                + " commission text, operated_at text, card text)");
        try (Connection connection = dataSource.getConnection();
                Reader in = Files.newBufferedReader(registry, StandardCharsets.UTF_8)) {
            connection
                    .unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn("copy bench_floor from stdin with (format csv, delimiter ';', header true)", in);
        }
    }

    /**
     * The day: payment {@code i} of 1000.00 + i kopecks, 2.5 % commission. Of every 1000 payments: 10 settled for
     * another amount, 5 missing from the registry, 5 registry lines for payments the ledger does not have, 2 lines
     * delivered twice.
     */
    static final class Day {
        final int payments;
        int registryLines;
        int ledgerPayments;
        final Map<String, Integer> expected = new LinkedHashMap<>();

        private Day(int payments) {
            this.payments = payments;
        }

        static Day generate(int lines) {
            return new Day(lines);
        }

        private static long amount(int i) {
            return 1_000_00 + i % 50_000;
        }

        private static Instant at(int i, int payments) {
            return DAY.atStartOfDay(ZONE).toInstant().plusMillis((long) i * (86_000_000L / Math.max(1, payments)));
        }

        void writeRegistry(Path file) throws IOException {
            int matched = 0, mismatched = 0, missingInLedger = 0, duplicates = 0;
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                out.write("payment_id;order;operation;amount;commission;time;card\r\n");
                for (int i = 0; i < payments; i++) {
                    int k = i % 1000;
                    if (k < 5) {
                        continue; // missing in the registry
                    }
                    long amount = amount(i);
                    if (k >= 5 && k < 15) {
                        amount += 100; // settled for another amount
                        mismatched++;
                    } else {
                        matched++;
                    }
                    String id = k >= 15 && k < 20 ? "unknown-" + i : "bp-" + i;
                    if (k >= 15 && k < 20) {
                        matched--;
                        missingInLedger++;
                    }
                    String line = id + ";;PAY;" + decimal(amount) + ";" + decimal(Math.round(amount * 0.025)) + ";"
                            + TIME.format(at(i, payments).atZone(ZONE)) + ";427600******" + (1000 + k) + "\r\n";
                    out.write(line);
                    registryLines++;
                    if (k == 20 || k == 21) {
                        out.write(line);
                        registryLines++;
                        duplicates++;
                    }
                }
            }
            expected.put("matched", matched);
            expected.put("amount_mismatch", mismatched);
            expected.put("missing_in_ledger", missingInLedger);
            expected.put("duplicate_in_registry", duplicates);
        }

        void loadPayments(DataSource dataSource, long customer) throws Exception {
            StringBuilder rows = new StringBuilder();
            int missingInRegistry = 0;
            for (int i = 0; i < payments; i++) {
                int k = i % 1000;
                if (k >= 15 && k < 20) {
                    continue; // the ledger does not have these
                }
                if (k < 5) {
                    missingInRegistry++;
                }
                rows.append(customer)
                        .append(",top_up,card,")
                        .append(PROVIDER)
                        .append(",succeeded,")
                        .append(amount(i))
                        .append(",RUB,bp-")
                        .append(i)
                        .append(',')
                        .append(at(i, payments))
                        .append('\n');
                ledgerPayments++;
            }
            expected.put("missing_in_registry", missingInRegistry);
            try (Connection connection = dataSource.getConnection()) {
                connection
                        .unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn(
                                "copy payment (customer_id, purpose, method, provider, status, amount, currency,"
                                        + " provider_payment_id, created_at) from stdin with (format csv)",
                                new StringReader(rows.toString()));
            }
        }

        void check(ReconciliationRun run) {
            var results = run.summary().results();
            expected.forEach((result, count) -> {
                long found = results.get(result).count();
                if (found != count) {
                    throw new IllegalStateException(result + ": expected " + count + ", found " + found);
                }
            });
        }

        private static String decimal(long kopecks) {
            return kopecks / 100 + "," + String.format("%02d", kopecks % 100);
        }
    }
}

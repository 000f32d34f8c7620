package io.kopek.bench;

import io.kopek.batch.JobRun;
import io.kopek.batch.Jobs;
import io.kopek.billing.Payments;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.NewCustomer;
import io.kopek.fiscal.FiscalEventConsumer;
import io.kopek.fiscal.FiscalOperator;
import io.kopek.fiscal.FiscalReceipts;
import io.kopek.fiscal.OperatorReceipt;
import io.kopek.fiscal.Receipt;
import io.kopek.money.Money;
import io.kopek.sandbox.atol.AtolSimulator;
import io.kopek.testing.ScratchDatabase;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Receipts per second sent by the {@code fiscalPush} job (claims with {@code SKIP LOCKED} and leases, pipelined
 * calls to the operator, each outcome committed) to the ATOL simulator answering after 50 ms, against the floor:
 * the same number of register calls straight to the simulator through the same operator client at the same
 * concurrency, with no database. The ideal is concurrency / latency.
 */
class FiscalBenchmark implements Benchmark {

    private static final String LOGIN = "bench";
    private static final String PASSWORD = "bench-password";
    private static final String GROUP = "bench_1";

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @ComponentScan(
            basePackages = "io.kopek",
            excludeFilters =
                    @ComponentScan.Filter(
                            type = FilterType.REGEX,
                            // Not the web API (no web server here) nor the modules this benchmark does not measure,
                            // which the other benchmarks bring onto the class path.
                            pattern = {
                                "io\\.kopek\\.(bench|testing|api|notification|search)\\..*",
                                "io\\.kopek\\.\\w+TestApplication"
                            }))
    static class FiscalOnly {}

    @Override
    public String description() {
        return "receipts/s pushed by the fiscalPush job to the ATOL simulator at 50 ms latency vs the operator client"
                + " alone (--receipts=2000 --rounds=3 --latency-ms=50 --concurrency=16)";
    }

    @Override
    public Result run(Options options) throws Exception {
        int receipts = options.intValue("receipts", 2000);
        int rounds = options.intValue("rounds", 3);
        int latencyMs = options.intValue("latency-ms", 50);
        int concurrency = options.intValue("concurrency", 16);
        if (receipts < 1 || rounds < 1 || latencyMs < 0 || concurrency < 1) {
            throw new IllegalArgumentException("--receipts, --rounds and --concurrency must be positive");
        }
        List<Double> pushed = new ArrayList<>();
        List<Double> floor = new ArrayList<>();
        try (ScratchDatabase db = ScratchDatabase.create("kopek_bench");
                AtolSimulator atol = AtolSimulator.start(0, LOGIN, PASSWORD, GROUP);
                ConfigurableApplicationContext context = new SpringApplicationBuilder(FiscalOnly.class)
                        .web(WebApplicationType.NONE)
                        .logStartupInfo(false)
                        .properties(properties(db.url(), atol, concurrency))
                        // On the command line: above a test JVM's own spring.datasource.url (a system property), so
                        // that a
                        // benchmark run by BenchmarksTest measures its own database, not the test's.
                        .run("--spring.datasource.url=" + db.url())) {
            atol.script().latency(Duration.ofMillis(latencyMs));
            Jobs jobs = context.getBean(Jobs.class);
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            FiscalOperator operator = context.getBean(FiscalOperator.class);
            Receipt template = template(context);
            System.out.printf(
                    "fiscal: %d receipts per round, %d rounds, operator latency %d ms, %d requests in flight%n",
                    receipts, rounds, latencyMs, concurrency);
            clone(jdbc, template, Math.min(receipts, 200), "warm-up");
            push(jobs);
            floor(operator, template, Math.min(receipts, 200), concurrency, "warm-up");
            for (int round = 1; round <= rounds; round++) {
                clone(jdbc, template, receipts, "round-" + round);
                long start = System.nanoTime();
                JobRun run = push(jobs);
                double seconds = (System.nanoTime() - start) / 1e9;
                long accepted = run.steps().getLast().written();
                if (accepted != receipts) {
                    throw new IllegalStateException("the run sent " + accepted + " of " + receipts + ": " + run);
                }
                pushed.add(receipts / seconds);
                double floorSeconds = floor(operator, template, receipts, concurrency, "round-" + round);
                floor.add(receipts / floorSeconds);
                System.out.printf(
                        "round %d/%d: fiscalPush %.1f receipts/s (%.2f s), operator client alone %.1f receipts/s%n",
                        round, rounds, pushed.getLast(), seconds, floor.getLast());
            }
        }
        double perSecond = Result.median(pushed);
        double floorPerSecond = Result.median(floor);
        return new Result()
                .put("receipts", (long) receipts)
                .put("receipts_per_s", perSecond)
                .put("latency_ms", (long) latencyMs)
                .put("floor_receipts_per_s", floorPerSecond)
                .put("ratio", perSecond / floorPerSecond)
                .put("ideal_receipts_per_s", concurrency * 1000.0 / Math.max(latencyMs, 1))
                .put("concurrency", (long) concurrency);
    }

    private static Map<String, Object> properties(String dbUrl, AtolSimulator atol, int concurrency) {
        Map<String, Object> p = new HashMap<>();
        p.put("spring.main.banner-mode", "off");
        p.put("logging.level.root", "warn");
        p.put("spring.datasource.url", dbUrl);
        p.put("kopek.roles", "batch");
        p.put("kopek.business-zone", "Europe/Moscow");
        p.put("kopek.fiscal.company.inn", "7707083893");
        p.put("kopek.fiscal.company.sno", "osn");
        p.put("kopek.fiscal.company.email", "shop@example.ru");
        p.put("kopek.fiscal.company.payment-address", "https://shop.example.ru");
        p.put("kopek.fiscal.outbox-settle", "0s");
        p.put("kopek.fiscal.concurrency", Integer.toString(concurrency));
        p.put("kopek.fiscal.atol.enabled", "true");
        p.put("kopek.fiscal.atol.base-url", atol.baseUrl().toString());
        p.put("kopek.fiscal.atol.login", LOGIN);
        p.put("kopek.fiscal.atol.password", PASSWORD);
        p.put("kopek.fiscal.atol.group", GROUP);
        return p;
    }

    /** One real receipt, from a balance top-up through the outbox consumer, to copy. */
    private static Receipt template(ConfigurableApplicationContext context) {
        long customer = context.getBean(Customers.class)
                .create(new NewCustomer(CustomerType.INDIVIDUAL, "Ivan Petrov", "ivan@example.ru", null, null))
                .id();
        context.getBean(Payments.class).topUp(customer, Money.rub(1_000_00), "PP-BENCH");
        context.getBean(FiscalEventConsumer.class).poll();
        return context.getBean(FiscalReceipts.class)
                .byEventKey(context.getBean(JdbcClient.class)
                        .sql("select event_key from receipt order by id limit 1")
                        .query(String.class)
                        .single())
                .orElseThrow();
    }

    /** Earlier receipts are set aside as done; {@code count} pending copies of the template are due now. */
    private static void clone(JdbcClient jdbc, Receipt template, int count, String batch) {
        jdbc.sql("update receipt set state = 'done' where state <> 'done'").update();
        jdbc.sql("insert into receipt (event_key, kind, state, customer_id, total, currency, document, operator,"
                        + " next_attempt_at) select ? || ':' || n, kind, 'pending', customer_id, total, currency,"
                        + " document, operator, now() from receipt, generate_series(1, ?) n where id = ?")
                .params("bench:" + batch, count, template.id())
                .update();
        jdbc.sql("analyze receipt").update();
    }

    private static JobRun push(Jobs jobs) {
        JobRun run = jobs.run("fiscalPush", Map.of(), Duration.ofMinutes(10));
        if (!run.status().equals("COMPLETED")) {
            throw new IllegalStateException("fiscalPush did not complete: " + run);
        }
        return run;
    }

    /** The floor: the operator client alone, {@code concurrency} register calls in flight; seconds taken. */
    private static double floor(FiscalOperator operator, Receipt template, int count, int concurrency, String batch)
            throws Exception {
        Semaphore inFlight = new Semaphore(concurrency);
        LocalDateTime timestamp = LocalDateTime.now();
        long start = System.nanoTime();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                OperatorReceipt receipt =
                        new OperatorReceipt("floor-" + batch + "-" + i, template.document(), timestamp);
                inFlight.acquire();
                executor.submit(() -> {
                    try {
                        return operator.register(receipt);
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }
}

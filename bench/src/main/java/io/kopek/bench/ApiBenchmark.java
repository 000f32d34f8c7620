package io.kopek.bench;

import io.kopek.sandbox.LoopbackPorts;
import io.kopek.testing.ScratchDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Hold + capture round trips per second through the real application over HTTP, at a fixed client concurrency,
 * against the floor: pgbench's TPC-B on the same PostgreSQL server with the same number of clients. The load comes
 * from wrk, a C client as pgbench is, so that neither side's client costs more than the other's
 * ({@code --client=java} keeps the earlier load client in this JVM); every round also says how many milliseconds of
 * CPU a pair cost the application's JVM and PostgreSQL's processes.
 */
class ApiBenchmark implements Benchmark {

    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static final Pattern PGBENCH_TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern JDBC_URL =
            Pattern.compile("^jdbc:postgresql://(\\[[^\\]]*\\]|[^:/?]*)(?::(\\d+))?/([^?]*)(?:\\?(.*))?$");
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(90);
    private static final long HOLD_AMOUNT = 10_000;

    @Override
    public String description() {
        return "hold+capture round trips over HTTP vs pgbench TPC-B"
                + " (--clients=8 --seconds=10 --rounds=5 --warmup=40 --client=wrk|java --sql-batch=0 --instructions=0"
                + " --instructions-batch=1)";
    }

    @Override
    public Result run(Options options) throws Exception {
        int clients = options.intValue("clients", 8);
        int seconds = options.intValue("seconds", 10);
        int rounds = options.intValue("rounds", 5);
        int warmup = options.intValue("warmup", 40);
        // > 0: also the pair's SQL as the API's group commit sends it with batches of this many holds (then captures),
        // each batch one transaction: what the database alone can do for the API's batches of that size (1: as sent
        // one request at a time, like sql_tps)
        int sqlBatch = options.intValue("sql-batch", 0);
        // > 0: also PostgreSQL's instructions per pair (the batch mirror, batches of instructions-batch) and per TPC-B
        // transaction, counted by callgrind over this many (less a fifth) of each on a copy of the database
        // (SqlInstructions); a batch takes its items' invoices from the clients' (at most --clients)
        int instructions = options.intValue("instructions", 0);
        int instructionsBatch = options.intValue("instructions-batch", 1);
        if (clients < 1 || seconds < 1 || rounds < 1 || warmup < 0) {
            throw new IllegalArgumentException("--clients, --seconds and --rounds must be positive, --warmup >= 0");
        }
        if (instructionsBatch < 1 || instructionsBatch > clients) {
            throw new IllegalArgumentException("--instructions-batch must be between 1 and --clients");
        }
        Path root =
                Path.of(System.getProperty("kopek.root", ".")).toAbsolutePath().normalize();
        Path jar = root.resolve("app/target/kopek-exec.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; build it with ./mvnw package -DskipTests -pl app -am");
        }
        Path pgbench = pgbench();
        String client = options.values().getOrDefault("client", "wrk");
        Load load = switch (client) {
            case "wrk" -> new Wrk(wrk());
            case "java" -> ApiBenchmark::load;
            default -> throw new IllegalArgumentException("--client is wrk or java, got " + client);
        };

        Samples samples = new Samples();
        Clients set;
        try (ScratchDatabase apiDb = ScratchDatabase.create("kopek_bench");
                ScratchDatabase pgbenchDb = ScratchDatabase.create("kopek_bench")) {
            System.out.printf(
                    "api: %d clients (%s), %d rounds of %d s (warm-up %d s), pgbench %s%n",
                    clients, client, rounds, seconds, warmup, pgbench);
            Pgbench floor = new Pgbench(pgbench, pgbenchDb.url());
            String apiDatabase = database(apiDb.url());
            floor.initialize();
            try (App app = App.start(jar, apiDb.url())) {
                try {
                    set = setUp(app, clients, apiDb.url());
                    List<Long> invoices = set.invoices();
                    Pgbench sql = new Pgbench(pgbench, apiDb.url());
                    if (warmup > 0) {
                        System.out.printf(
                                "warm-up: %.1f round trips/s%n",
                                load.run(app, invoices, warmup).tps());
                    }
                    for (int round = 1; round <= rounds; round++) {
                        double appCpu = ProcessCpu.millis(app.pid());
                        var dbCpu = ProcessCpu.postgres(apiDatabase);
                        var batches = app.batches();
                        var machine = ProcessCpu.machine();
                        Round api = load.run(app, invoices, seconds);
                        var dbCpuAfter = ProcessCpu.postgres(apiDatabase);
                        Set<Long> ours = new HashSet<>(dbCpuAfter.keySet());
                        ours.addAll(dbCpu.keySet());
                        ours.add(app.pid());
                        ours.add(ProcessHandle.current().pid());
                        // kernel threads too: how quiet the machine was while the round ran
                        ProcessCpu.Others others = ProcessCpu.others(machine, ProcessCpu.machine(), ours);
                        double otherCpuPct = others.millis() / (api.seconds() * 10);
                        System.out.printf(
                                "round %d/%d: the group commit's requests per batch: %s%n",
                                round, rounds, batches.since(app.batches()));
                        double appCpuMs = (ProcessCpu.millis(app.pid()) - appCpu) / api.count();
                        double dbCpuMs = ProcessCpu.millisSince(dbCpu, dbCpuAfter) / api.count();
                        double pgbenchTps = floor.run(clients, seconds);
                        double sqlTps = sql.runPairs(set, clients, seconds, 1);
                        if (sqlBatch > 0) {
                            double batched = sql.runPairs(set, clients, seconds, sqlBatch);
                            samples.sqlBatchTps.add(batched);
                            System.out.printf(
                                    "round %d/%d: the pair's SQL in batches of %d holds, then of %d captures, a"
                                            + " transaction each: %.1f pairs/s%n",
                                    round, rounds, sqlBatch, sqlBatch, batched);
                        }
                        samples.add(api, pgbenchTps, sqlTps, appCpuMs, dbCpuMs, otherCpuPct);
                        System.out.printf(
                                "round %d/%d: api %.1f round trips/s (%d in %.1f s, p50 %.2f ms, p99 %.2f ms;"
                                        + " hold alone p50 %.2f ms; CPU per pair: app %.3f ms, PostgreSQL %.3f ms;"
                                        + " the machine's other processes %.1f %% of a core, most %s %.0f ms),"
                                        + " pgbench %.1f tps, the pair's SQL alone %.1f/s%n",
                                round,
                                rounds,
                                api.tps(),
                                api.count(),
                                api.seconds(),
                                api.p50Millis(),
                                api.p99Millis(),
                                api.holdP50Millis(),
                                appCpuMs,
                                dbCpuMs,
                                otherCpuPct,
                                others.top(),
                                others.topMillis(),
                                pgbenchTps,
                                sqlTps);
                    }
                } catch (Exception e) {
                    app.keepLog();
                    System.err.println("the end of the application's log (" + app.log + "):\n" + app.logTail());
                    throw e;
                }
            }
            if (instructions > 0) {
                samples.instructions = new Pgbench(pgbench, apiDb.url())
                        .instructions(apiDb.url(), set, instructions, instructionsBatch);
            }
        }
        double tps = Result.median(samples.apiTps);
        double floorTps = Result.median(samples.pgbenchTps);
        Result result = new Result()
                .put("tps", tps)
                .put("pgbench_tps", floorTps)
                .put("ratio", tps / floorTps)
                .put("p50_ms", Result.median(samples.p50))
                .put("p99_ms", Result.median(samples.p99))
                .put("sql_tps", Result.median(samples.sqlTps))
                .put("sql_ratio", Result.median(samples.sqlTps) / floorTps)
                .put("app_cpu_ms", Result.median(samples.appCpuMs))
                .put("db_cpu_ms", Result.median(samples.dbCpuMs))
                .put("other_cpu_pct", Result.median(samples.otherCpuPct));
        if (samples.instructions != null) {
            result.put("db_minstr_pair", samples.instructions.pair() / 1e6)
                    .put("db_minstr_tpcb", samples.instructions.tpcb() / 1e6)
                    .put("db_instr_ratio", samples.instructions.pair() / samples.instructions.tpcb());
        }
        if (sqlBatch > 0) {
            result.put("sql_batch", (long) sqlBatch)
                    .put("sql_batch_tps", Result.median(samples.sqlBatchTps))
                    .put("sql_batch_ratio", Result.median(samples.sqlBatchTps) / floorTps);
        }
        return result;
    }

    /** PostgreSQL's instructions per pair and per TPC-B transaction (the floor), counted by callgrind. */
    private record Instructions(double pair, double tpcb) {}

    /** Per round: the API's round trips per second and latency percentiles, pgbench's tps and the pair's SQL's. */
    private static final class Samples {

        final List<Double> apiTps = new ArrayList<>();
        final List<Double> pgbenchTps = new ArrayList<>();
        final List<Double> p50 = new ArrayList<>();
        final List<Double> p99 = new ArrayList<>();
        final List<Double> sqlTps = new ArrayList<>();
        final List<Double> appCpuMs = new ArrayList<>();
        final List<Double> dbCpuMs = new ArrayList<>();
        final List<Double> sqlBatchTps = new ArrayList<>();
        final List<Double> otherCpuPct = new ArrayList<>();
        // with --instructions
        Instructions instructions;

        void add(Round api, double pgbench, double sql, double appCpu, double dbCpu, double otherCpu) {
            sqlTps.add(sql);
            apiTps.add(api.tps());
            p50.add(api.p50Millis());
            p99.add(api.p99Millis());
            pgbenchTps.add(pgbench);
            appCpuMs.add(appCpu);
            dbCpuMs.add(dbCpu);
            otherCpuPct.add(otherCpu);
        }
    }

    /** A merchant, a product, a rule that holds first, and per client a funded customer with one big invoice. */
    private static Clients setUp(App app, int clients, String dbUrl) throws Exception {
        long merchant = app.create("/api/v1/merchants", """
                {"code":"BENCH","name":"Bench LLC","inn":"7700000009"}""");
        long product = app.create("/api/v1/products", """
                {"merchant_id":%d,"sku":"UNIT","name":"Unit","category":"bench",\
                "unit_price":{"amount":100,"currency":"RUB"}}""".formatted(merchant));
        app.create("/api/v1/rules", """
                {"category":"bench","customer_type":"*","valid_from":"2020-01-01","vat_code":"standard",\
                "payment_methods":["balance"],"hold_first":true,"hold_lifetime_seconds":3600}""");
        List<Long> invoices = new ArrayList<>();
        List<Long> customers = new ArrayList<>();
        // A quantity is at most 99 999 999 (as a receipt takes it): that many units of 1 RUB cover 10^6 holds per
        // client.
        for (int c = 1; c <= clients; c++) {
            long customer = app.create("/api/v1/customers", """
                    {"type":"company","name":"Client %d","inn":"7700000001"}""".formatted(c));
            customers.add(customer);
            app.create("/api/v1/customers/" + customer + "/top-ups", """
                    {"amount":{"amount":100000000000,"currency":"RUB"},"reference":"bench"}""");
            invoices.add(app.create("/api/v1/orders", """
                    {"customer_id":%d,"items":[{"product_id":%d,"quantity":99999999}]}""".formatted(customer, product)));
        }
        System.out.printf(
                "set up: merchant %d, product %d, %d funded customers with an invoice each%n",
                merchant, product, clients);
        long keyId;
        try (var db = java.sql.DriverManager.getConnection(dbUrl);
                var keys = db.createStatement().executeQuery("select min(id) from kopek.api_key")) {
            keys.next();
            keyId = keys.getLong(1); // the bootstrap admin key, the only one
        }
        return new Clients(invoices, customers, keyId);
    }

    /**
     * Per load client its invoice and customer; and the id of the API key they use. Both are numbered in a row, as
     * {@code api-pair.sql} counts them from the first (pgbench has no arrays).
     */
    private record Clients(List<Long> invoices, List<Long> customers, long keyId) {
        Clients {
            for (int c = 1; c < invoices.size(); c++) {
                if (invoices.get(c) != invoices.get(0) + c || customers.get(c) != customers.get(0) + c) {
                    throw new IllegalStateException("the set-up's invoices or customers are not numbered in a row: "
                            + invoices + ", " + customers);
                }
            }
        }
    }

    /** A load client: every client places and captures holds on its own invoice, for {@code seconds}. */
    @FunctionalInterface
    private interface Load {
        Round run(App app, List<Long> invoices, int seconds) throws Exception;
    }

    /** wrk with {@code api-pair.lua}: a thread and a connection per client, each on its own invoice. */
    private record Wrk(Path binary) implements Load {

        private static final Pattern PAIRS = Pattern.compile("KOPEK-PAIRS pairs=(\\d+) seconds=(\\S+) p50_us=(\\d+)"
                + " p99_us=(\\d+) hold_p50_us=(\\d+) errors=(\\d+) first_error=(.*)");

        @Override
        public Round run(App app, List<Long> invoices, int seconds) throws Exception {
            Path script = Files.createTempFile("kopek-api-pair-", ".lua");
            try (var in = ApiBenchmark.class.getResourceAsStream("/api-pair.lua")) {
                Files.write(script, in.readAllBytes());
                String clients = Integer.toString(invoices.size());
                List<String> command = new ArrayList<>(List.of(
                        binary.toString(),
                        "-t",
                        clients,
                        "-c",
                        clients,
                        "-d",
                        seconds + "s",
                        "--timeout",
                        "10s",
                        "-s",
                        script.toString(),
                        app.base,
                        "--",
                        app.key,
                        "bench-" + UUID.randomUUID() + "-"));
                invoices.forEach(invoice -> command.add(Long.toString(invoice)));
                Process process =
                        new ProcessBuilder(command).redirectErrorStream(true).start();
                process.getOutputStream().close();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                int exit = process.waitFor();
                Matcher m = PAIRS.matcher(output);
                if (exit != 0 || !m.find()) {
                    throw new IllegalStateException("wrk exited with " + exit + " and no KOPEK-PAIRS line:\n" + output);
                }
                if (Long.parseLong(m.group(6)) > 0) {
                    throw new IllegalStateException(
                            m.group(6) + " request(s) failed during the round; the first: " + m.group(7));
                }
                long pairs = Long.parseLong(m.group(1));
                if (pairs == 0) {
                    throw new IllegalStateException("no round trip completed:\n" + output);
                }
                return new Round(
                        pairs,
                        Double.parseDouble(m.group(2)),
                        Long.parseLong(m.group(3)) / 1e3,
                        Long.parseLong(m.group(4)) / 1e3,
                        Long.parseLong(m.group(5)) / 1e3);
            } finally {
                Files.deleteIfExists(script);
            }
        }
    }

    /** wrk as {@code KOPEK_WRK} names it, else on PATH ({@code scripts/ensure-wrk} installs it). */
    static Path wrk() {
        String named = System.getenv("KOPEK_WRK");
        if (named != null && !named.isBlank()) {
            return Path.of(named);
        }
        return onPath("wrk")
                .orElseThrow(() -> new IllegalStateException("the api benchmark's load client is wrk: install it"
                        + " (scripts/ensure-wrk, or apt-get install wrk), set KOPEK_WRK, or use --client=java"));
    }

    /** The executable {@code name} in the first directory of PATH that has one. */
    static Optional<Path> onPath(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Optional.of(Path.of(dir, name));
            }
        }
        return Optional.empty();
    }

    /** Every client places and captures holds on its own invoice, on a connection of its own, for {@code seconds}. */
    private static Round load(App app, List<Long> invoices, int seconds) throws InterruptedException {
        int clients = invoices.size();
        long[][] latencies = new long[clients][];
        long[][] holdLatencies = new long[clients][];
        int[] counts = new int[clients];
        AtomicLong failures = new AtomicLong();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            String holdBody = """
                    {"invoice_id":%d,"amount":{"amount":%d,"currency":"RUB"}}""".formatted(invoices.get(c), HOLD_AMOUNT);
            String keys = "bench-" + UUID.randomUUID() + "-";
            Thread thread = Thread.ofPlatform().name("api-client-" + c).start(() -> {
                long[] mine = new long[1024];
                long[] holds = new long[1024];
                int n = 0;
                long sent = 0;
                HttpConnection connection;
                try {
                    connection = app.connect();
                } catch (IOException e) {
                    failures.incrementAndGet();
                    firstFailure.compareAndSet(null, "cannot connect: " + e);
                    ready.countDown();
                    return;
                }
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    closeQuietly(connection);
                    return;
                }
                long deadline = window[0] + TimeUnit.SECONDS.toNanos(seconds);
                // Any failure fails the round, so every client stops at the first one.
                while (System.nanoTime() < deadline && failures.get() == 0) {
                    long start = System.nanoTime();
                    try {
                        String holdPath = "/api/v1/holds";
                        HttpConnection.Answer hold = connection.post(holdPath, keys + sent++, holdBody);
                        if (!ok(holdPath, hold, failures, firstFailure)) {
                            continue;
                        }
                        long holdNanos = System.nanoTime() - start;
                        String capturePath = "/api/v1/holds/" + id(hold.body()) + "/capture";
                        HttpConnection.Answer capture = connection.post(capturePath, keys + sent++, "{}");
                        if (!ok(capturePath, capture, failures, firstFailure)) {
                            continue;
                        }
                        long pairNanos = System.nanoTime() - start;
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, n * 2);
                            holds = Arrays.copyOf(holds, n * 2);
                        }
                        holds[n] = holdNanos;
                        mine[n++] = pairNanos;
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        firstFailure.compareAndSet(null, e.toString());
                    }
                }
                closeQuietly(connection);
                latencies[client] = mine;
                holdLatencies[client] = holds;
                counts[client] = n;
            });
            threads.add(thread);
        }
        ready.await();
        window[0] = System.nanoTime();
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        window[1] = System.nanoTime();
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get()
                    + " request(s) failed during the round, which stopped at the first; the first: "
                    + firstFailure.get());
        }
        long[] pairs = merged(latencies, counts);
        if (pairs.length == 0) {
            throw new IllegalStateException("no round trip completed");
        }
        return new Round(
                pairs.length,
                (window[1] - window[0]) / 1e9,
                percentileMillis(pairs, 50),
                percentileMillis(pairs, 99),
                percentileMillis(merged(holdLatencies, counts), 50));
    }

    private static void closeQuietly(HttpConnection connection) {
        try {
            connection.close();
        } catch (IOException ignored) {
            // the round is over
        }
    }

    private static long[] merged(long[][] perClient, int[] counts) {
        long[] all = new long[Arrays.stream(counts).sum()];
        int at = 0;
        for (int c = 0; c < perClient.length; c++) {
            System.arraycopy(perClient[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        return all;
    }

    private static boolean ok(
            String path, HttpConnection.Answer answer, AtomicLong failures, AtomicReference<String> first) {
        if (answer.status() / 100 == 2) {
            return true;
        }
        failures.incrementAndGet();
        first.compareAndSet(null, "POST " + path + " -> " + answer.status() + " " + answer.body());
        return false;
    }

    private static long id(String json) {
        Matcher m = ID.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no id in " + json);
        }
        return Long.parseLong(m.group(1));
    }

    private static double percentileMillis(long[] sorted, int percentile) {
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(rank, sorted.length - 1))] / 1e6;
    }

    /** A round: the pairs completed, its wall time, the pairs' latency percentiles and the holds' alone. */
    private record Round(long count, double seconds, double p50Millis, double p99Millis, double holdP50Millis) {

        double tps() {
            return count / seconds;
        }
    }

    /** The application, started as its own process with the api role on a free port. */
    private static final class App implements AutoCloseable {

        private final Process process;
        private final Path log;
        private boolean keepLog;
        private final String base;
        private final String key;
        private final HttpClient http;
        private final Thread stopWithTheBenchmark;

        private App(Process process, Path log, String base, String key) {
            this.process = process;
            // a benchmark stopped by Ctrl-C or a kill runs its shutdown hooks, not close(): the app goes with it
            // instead of running on with its port and its connections
            this.stopWithTheBenchmark = new Thread(process::destroy, "kopek-bench-app-stop");
            Runtime.getRuntime().addShutdownHook(stopWithTheBenchmark);
            this.log = log;
            this.base = base;
            this.key = key;
            this.http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
        }

        static App start(Path jar, String dbUrl) throws Exception {
            String java = ProcessHandle.current()
                    .info()
                    .command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                            .toString());
            int port = LoopbackPorts.free();
            String key = adminKey();
            Path log = Files.createTempFile("kopek-bench-api-", ".log");
            List<String> command = new ArrayList<>(List.of(java));
            // e.g. -Dkopek.bench.app-java-opts="-XX:StartFlightRecording=filename=app.jfr" to profile the app
            String opts = System.getProperty("kopek.bench.app-java-opts", "").strip();
            if (!opts.isEmpty()) {
                command.addAll(List.of(opts.split("\\s+")));
            }
            command.addAll(List.of("-jar", jar.toString()));
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.put("KOPEK_DB_URL", dbUrl);
            env.put("KOPEK_PORT", Integer.toString(port));
            env.put("KOPEK_ROLES", "api");
            env.put("KOPEK_SECURITY_BOOTSTRAP_ADMIN_KEY", key);
            System.out.printf("starting the application on port %d (log %s)%n", port, log);
            App app = new App(builder.start(), log, "http://127.0.0.1:" + port, key);
            try {
                app.awaitHealthy();
            } catch (Exception e) {
                app.keepLog();
                app.close();
                throw e;
            }
            return app;
        }

        private void awaitHealthy() throws Exception {
            long start = System.nanoTime();
            long deadline = start + HEALTH_TIMEOUT.toNanos();
            HttpRequest health = HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
                    .timeout(Duration.ofSeconds(2))
                    .build();
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the application exited with " + process.exitValue()
                            + " before it became healthy; the end of its log:\n" + logTail());
                }
                try {
                    if (http.send(health, HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200) {
                        System.out.printf(
                                "the application is healthy after %.1f s%n", (System.nanoTime() - start) / 1e9);
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the application was not healthy within "
                            + HEALTH_TIMEOUT.toSeconds() + " s; the end of its log:\n" + logTail());
                }
                Thread.sleep(250);
            }
        }

        /** The group commit's batches so far ({@code kopek.api.group.commit.requests}, Prometheus). */
        Batches batches() throws Exception {
            HttpRequest scrape = HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus"))
                    .header("Authorization", "Bearer " + key)
                    .timeout(Duration.ofSeconds(5))
                    .build();
            String text =
                    http.send(scrape, HttpResponse.BodyHandlers.ofString()).body();
            Map<String, Double> values = new TreeMap<>();
            Matcher m = BATCH_METRIC.matcher(text);
            while (m.find()) {
                values.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
            }
            return new Batches(values.getOrDefault("count", 0.0), values.getOrDefault("sum", 0.0));
        }

        private static final Pattern BATCH_METRIC = Pattern.compile(
                "^kopek_api_group_commit_requests_(count|sum)(?:\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);

        /** How many batches so far, and how many requests they held. */
        record Batches(double count, double requests) {
            String since(Batches later) {
                double batches = later.count - count;
                return String.format(
                        "%.2f (%.0f batches)", batches == 0 ? 0 : (later.requests - requests) / batches, batches);
            }
        }

        /** A connection of a load client of its own, or of the set-up. */
        HttpConnection connect() throws IOException {
            URI uri = URI.create(base);
            return new HttpConnection(uri.getHost(), uri.getPort(), "Bearer " + key);
        }

        /** A set-up call: must succeed; returns the id of what it made. */
        long create(String path, String json) throws IOException {
            try (HttpConnection connection = connect()) {
                HttpConnection.Answer answer =
                        connection.post(path, UUID.randomUUID().toString(), json);
                if (answer.status() / 100 != 2) {
                    throw new IllegalStateException("POST " + path + " -> " + answer.status() + " " + answer.body());
                }
                return id(answer.body());
            }
        }

        long pid() {
            return process.pid();
        }

        void keepLog() {
            keepLog = true;
        }

        String logTail() {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                        .filter(line -> !line.startsWith("\tat ") && !line.startsWith("\t... "))
                        .toList();
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                return "(cannot read " + log + ": " + e.getMessage() + ")";
            }
        }

        @Override
        public void close() throws Exception {
            try {
                Runtime.getRuntime().removeShutdownHook(stopWithTheBenchmark);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it ends the app too
            }
            http.close();
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
            if (!keepLog) {
                Files.deleteIfExists(log);
            }
        }

        /** {@code kpk_<12 hex>_<43 base64url>}, as Kopek issues them. */
        private static String adminKey() {
            SecureRandom random = new SecureRandom();
            byte[] prefix = new byte[6];
            byte[] secret = new byte[32];
            random.nextBytes(prefix);
            random.nextBytes(secret);
            return "kpk_" + HexFormat.of().formatHex(prefix) + "_"
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        }
    }

    /** pgbench's TPC-B-like script on its own database of the same server. */
    private static final class Pgbench {

        private final Path binary;
        private final List<String> connection = new ArrayList<>();
        private final Map<String, String> env = new HashMap<>();

        Pgbench(Path binary, String jdbcUrl) {
            this.binary = binary;
            Matcher m = JDBC_URL.matcher(jdbcUrl);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl);
            }
            String host = m.group(1).isEmpty() ? "localhost" : m.group(1).replaceAll("^\\[|\\]$", "");
            connection.addAll(List.of("-h", host, "-p", m.group(2) == null ? "5432" : m.group(2)));
            Map<String, String> params = new HashMap<>();
            if (m.group(4) != null) {
                for (String pair : m.group(4).split("&")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        params.put(
                                pair.substring(0, eq),
                                URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                    }
                }
            }
            if (params.containsKey("user")) {
                connection.addAll(List.of("-U", params.get("user")));
            }
            if (params.containsKey("password")) {
                env.put("PGPASSWORD", params.get("password"));
            }
            connection.add(m.group(3));
        }

        void initialize() throws Exception {
            List<String> command = new ArrayList<>(List.of("-i", "-q", "-s", "1"));
            command.addAll(connection);
            System.out.println("pgbench: initializing (scale 1)");
            execute(command);
        }

        double run(int clients, int seconds) throws Exception {
            return tps(clients, seconds, List.of(), Map.of());
        }

        private double tps(int clients, int seconds, List<String> script, Map<String, String> extraEnv)
                throws Exception {
            List<String> command = new ArrayList<>(script);
            command.addAll(List.of(
                    "-c",
                    Integer.toString(clients),
                    "-j",
                    Integer.toString(Math.min(2, clients)),
                    "-T",
                    Integer.toString(seconds),
                    "-n"));
            command.addAll(connection);
            String output = execute(command, extraEnv);
            Matcher m = PGBENCH_TPS.matcher(output);
            if (!m.find()) {
                throw new IllegalStateException("no tps in pgbench's output:\n" + output);
            }
            return Double.parseDouble(m.group(1));
        }

        /**
         * PostgreSQL's instructions per pair of the batch mirror ({@code api-pair-batch.sql}, batches of {@code batch},
         * plans generic as the app's settle) and per TPC-B transaction, counted by callgrind on copies of this database
         * and of a TPC-B one ({@link SqlInstructions}) over {@code many} transactions (of the script, a batch each) less
         * a run of a fifth as many.
         */
        Instructions instructions(String jdbcUrl, Clients set, int many, int batch) throws Exception {
            String database = connection.getLast();
            int few = Math.max(1, many / 5);
            Path script = Files.createTempFile("kopek-api-pair-", ".sql");
            try (var in = ApiBenchmark.class.getResourceAsStream("/api-pair-batch.sql");
                    SqlInstructions counted = SqlInstructions.start(
                            jdbcUrl, connection.subList(0, connection.size() - 1), env, List.of(database))) {
                Files.write(script, in.readAllBytes());
                System.out.printf("instructions: %d and %d of each under callgrind%n", few, many);
                double pair = counted.perTransaction(
                                database,
                                pairScript(script, set, batch),
                                Map.of("PGOPTIONS", "-c search_path=kopek -c plan_cache_mode=force_generic_plan"),
                                few,
                                many)
                        / batch;
                double tpcb = counted.perTransaction("tpcb", List.of("-b", "tpcb-like"), Map.of(), few, many);
                System.out.printf(
                        "instructions: PostgreSQL %.3f M a pair, %.3f M a TPC-B transaction%n", pair / 1e6, tpcb / 1e6);
                return new Instructions(pair, tpcb);
            } finally {
                Files.deleteIfExists(script);
            }
        }

        /** pgbench's arguments for a pair script: the file and its variables (see {@code api-pair.sql}). */
        private static List<String> pairScript(Path script, Clients set, int batch) {
            return List.of(
                    "-f",
                    script.toString(),
                    "-D",
                    "inv_base=" + set.invoices().getFirst(),
                    "-D",
                    "customer_base=" + set.customers().getFirst(),
                    "-D",
                    "key_id=" + set.keyId(),
                    "-D",
                    "batch=" + batch,
                    "-D",
                    "clients=" + set.invoices().size());
        }

        /**
         * The pairs per second of {@code api-pair.sql}: the application's SQL of a hold and its capture, each client
         * on its own invoice as in the load, with server-prepared statements as the JDBC driver uses them; with
         * {@code batch} above 1, {@code api-pair-batch.sql}: that many pairs to a pair of transactions.
         */
        double runPairs(Clients set, int clients, int seconds, int batch) throws Exception {
            Path script = Files.createTempFile("kopek-api-pair-", ".sql");
            String resource = batch > 1 ? "/api-pair-batch.sql" : "/api-pair.sql";
            try (var in = ApiBenchmark.class.getResourceAsStream(resource)) {
                Files.write(script, in.readAllBytes());
                List<String> command = new ArrayList<>(List.of("-M", "prepared"));
                command.addAll(pairScript(script, set, batch));
                // the batch script builds its records' arrays from variables, which would keep its insert planned
                // anew each time; the app's insert takes them as parameters and settles on a generic plan
                String options = batch > 1
                        ? "-c search_path=kopek -c plan_cache_mode=force_generic_plan"
                        : "-c search_path=kopek";
                return batch * tps(clients, seconds, command, Map.of("PGOPTIONS", options));
            } finally {
                Files.deleteIfExists(script);
            }
        }

        private String execute(List<String> args) throws Exception {
            return execute(args, Map.of());
        }

        private String execute(List<String> args, Map<String, String> extraEnv) throws Exception {
            List<String> command = new ArrayList<>();
            command.add(binary.toString());
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(env);
            builder.environment().putAll(extraEnv);
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + exit + ":\n" + output);
            }
            return output;
        }
    }

    /** The database's name in a PostgreSQL JDBC URL. */
    static String database(String jdbcUrl) {
        Matcher m = JDBC_URL.matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl);
        }
        return m.group(3);
    }

    /** pgbench on PATH, else the newest one under /usr/lib/postgresql. */
    static Path pgbench() throws IOException {
        Optional<Path> onPath = onPath("pgbench");
        if (onPath.isPresent()) {
            return onPath.get();
        }
        Path installed = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(installed)) {
            try (Stream<Path> versions = Files.list(installed)) {
                Optional<Path> newest = versions.map(v -> v.resolve("bin/pgbench"))
                        .filter(Files::isExecutable)
                        .max(Comparator.comparing(ApiBenchmark::majorVersion));
                if (newest.isPresent()) {
                    return newest.get();
                }
            }
        }
        throw new IllegalStateException("the api benchmark needs pgbench (PostgreSQL's client tools) on PATH or"
                + " under /usr/lib/postgresql/*/bin; install it, e.g. apt-get install postgresql-client");
    }

    private static double majorVersion(Path pgbench) {
        try {
            return Double.parseDouble(
                    pgbench.getParent().getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

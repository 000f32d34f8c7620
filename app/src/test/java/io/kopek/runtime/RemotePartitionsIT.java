package io.kopek.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.sandbox.acme.AcmeRegistry;
import io.kopek.sandbox.registry.Settled;
import io.kopek.sandbox.registry.WrittenRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The reconciliation partitioned over RabbitMQ (127.0.0.1:5672, guest) with the packaged application as real
 * processes: a provider's day reconciled by one process in one partition, then by a manager and two workers in eight
 * partitions, gives the same results line for line, the same discrepancies and the commissions posted once; a worker
 * killed with {@code kill -9} mid-partition fails the manager's step (no hang), and a restart with the remaining worker
 * runs only the unfinished partition and ends with the same results again. The queue is this test run's own.
 */
class RemotePartitionsIT {

    private static final int LINES = 200_000;
    private static final int PARTITIONS = 8;
    private static final LocalDate DAY = LocalDate.of(2026, 11, 21);
    private static final Pattern WORKER = Pattern.compile("batch worker (\\d+) \\(");
    private static final JsonMapper JSON = new JsonMapper();

    private final String queue = "kopek.test.partitions." + UUID.randomUUID();
    private KopekProcesses kopek;
    private Path staging;

    @AfterEach
    void cleanUp() throws Exception {
        if (kopek != null) {
            kopek.close();
        }
        CachingConnectionFactory rabbit = new CachingConnectionFactory("127.0.0.1", 5672);
        try {
            new RabbitAdmin(rabbit).deleteQueue(queue);
        } finally {
            rabbit.destroy();
        }
    }

    @Test
    void aManagerAndTwoWorkersReconcileAsOneProcessAndAWorkerKilledMidPartitionFailsTheStepAndARestartCompletesIt()
            throws Exception {
        kopek = new KopekProcesses("kopek_remote_partitions_it");
        staging = Files.createTempDirectory("kopek-remote-staging");
        String parameters = "{\"parameters\":{\"provider\":\"acme\",\"businessDate\":\"" + DAY + "\"}}";

        // One process, one partition: the reference.
        Process single = start(List.of("--kopek.reconciliation.partitions=1"));
        long customer = KopekProcesses.id(kopek.post("/api/v1/customers", """
                {"type":"individual","name":"Ivan Petrov","email":"ivan@example.ru"}"""));
        Path registry = aDay(customer);
        String imported = kopek.awaitEnd(KopekProcesses.id(kopek.post(
                "/api/v1/jobs/registryImport/runs",
                "{\"parameters\":{\"provider\":\"acme\",\"file\":\"" + registry + "\"}}")));
        assertThat(KopekProcesses.status(imported)).isEqualTo("COMPLETED");
        long started = System.nanoTime();
        JsonNode reference =
                run(kopek.awaitEnd(KopekProcesses.id(kopek.post("/api/v1/jobs/reconciliation/runs", parameters))));
        Duration singleTook = Duration.ofNanos(System.nanoTime() - started);
        assertThat(reference.path("status").asString()).isEqualTo("COMPLETED");
        long referenceRun = reconciliationRun(reference);
        List<String> expected = results(referenceRun);
        assertThat(expected).hasSize(LINES);
        assertThat(expected.stream().filter(r -> r.startsWith("matched|")).count())
                .isEqualTo(LINES - LINES / 100);
        Map<String, String> discrepancies = discrepancies();
        assertThat(discrepancies).hasSize(LINES / 100);
        assertThat(fees()).as("each matched line's commission, once").isEqualTo(expectedFees());
        KopekProcesses.kill(single);

        // Two workers, and a manager that runs no partition itself; the API talks to the last started, the manager.
        Process first = start(remote(1));
        Process second = start(remote(1));
        start(remote(0));
        int firstWorker = workerId(first);
        int secondWorker = workerId(second);

        started = System.nanoTime();
        JsonNode remote =
                run(kopek.awaitEnd(KopekProcesses.id(kopek.post("/api/v1/jobs/reconciliation/runs", parameters))));
        Duration remoteTook = Duration.ofNanos(System.nanoTime() - started);
        assertThat(remote.path("status").asString()).isEqualTo("COMPLETED");
        Map<String, JsonNode> partitions = partitions(remote);
        assertThat(partitions).hasSize(PARTITIONS);
        assertThat(partitions.values())
                .allSatisfy(p -> assertThat(p.path("status").asString()).isEqualTo("COMPLETED"));
        assertThat(partitions.values().stream()
                        .map(p -> p.path("counters").path("worker").asInt())
                        .distinct())
                .as("both workers took partitions, the manager none")
                .containsExactlyInAnyOrder(firstWorker, secondWorker);
        long remoteRun = reconciliationRun(remote);
        assertThat(results(remoteRun)).isEqualTo(expected);
        assertThat(discrepancies()).isEqualTo(discrepancies);
        assertThat(lastRunOfDiscrepancies()).containsOnly(remoteRun);
        assertThat(fees()).as("nothing posted twice").isEqualTo(expectedFees());
        report("one process, 1 partition", reference, singleTook);
        report("a manager and 2 workers, " + PARTITIONS + " partitions", remote, remoteTook);

        // Again, and the first worker killed while it runs a partition.
        long killedRun = KopekProcesses.id(kopek.post("/api/v1/jobs/reconciliation/runs", parameters));
        String killedPartition = awaitPartitionStartedBy(killedRun, firstWorker);
        long killedAt = System.nanoTime();
        KopekProcesses.kill(first);
        JsonNode failed = run(kopek.awaitEnd(killedRun));
        Duration noticedAfter = Duration.ofNanos(System.nanoTime() - killedAt);

        assertThat(failed.path("status").asString()).isEqualTo("FAILED");
        Map<String, JsonNode> afterKill = partitions(failed);
        assertThat(afterKill.get(killedPartition).path("status").asString()).isEqualTo("FAILED");
        assertThat(afterKill.get(killedPartition).path("error").asString())
                .contains("its worker died mid-partition (batch worker " + firstWorker);
        assertThat(afterKill.entrySet())
                .filteredOn(p -> !p.getKey().equals(killedPartition))
                .allSatisfy(
                        p -> assertThat(p.getValue().path("status").asString()).isEqualTo("COMPLETED"));
        assertThat(noticedAfter).as("the manager noticed, not its timeout").isLessThan(Duration.ofMinutes(2));

        JsonNode restarted =
                run(kopek.awaitEnd(KopekProcesses.id(kopek.post("/api/v1/job-runs/" + killedRun + "/restart", ""))));

        assertThat(restarted.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(partitions(restarted).keySet())
                .as("only the unfinished partition ran again")
                .containsExactly(killedPartition);
        assertThat(partitions(restarted)
                        .get(killedPartition)
                        .path("counters")
                        .path("worker")
                        .asInt())
                .isEqualTo(secondWorker);
        Map<String, Integer> executions = executionsPerPartition(killedRun);
        assertThat(executions).hasSize(PARTITIONS);
        assertThat(executions)
                .allSatisfy((name, n) -> assertThat(n).as(name).isEqualTo(name.equals(killedPartition) ? 2 : 1));
        long restartedRun = reconciliationRun(restarted);
        assertThat(restartedRun).isEqualTo(reconciliationRun(failed));
        assertThat(results(restartedRun)).isEqualTo(expected);
        assertThat(discrepancies()).isEqualTo(discrepancies);
        assertThat(lastRunOfDiscrepancies()).containsOnly(restartedRun);
        assertThat(fees()).as("nothing posted twice").isEqualTo(expectedFees());
        report("the run a worker was killed in, restarted", restarted, Duration.ZERO);
        System.out.printf(
                "RESULT remote-partitions worker killed: step failed %d ms after the kill%n", noticedAfter.toMillis());
    }

    private List<String> remote(int consumers) {
        return List.of(
                "--kopek.reconciliation.partitions=" + PARTITIONS,
                "--kopek.reconciliation.remote.enabled=true",
                "--kopek.reconciliation.remote.queue=" + queue,
                "--kopek.reconciliation.remote.consumers=" + consumers,
                "--kopek.reconciliation.remote.poll-interval=200ms",
                // longer than the test waits: a worker's death must be noticed otherwise
                "--kopek.reconciliation.remote.timeout=30m",
                "--spring.rabbitmq.host=127.0.0.1",
                "--spring.rabbitmq.port=5672");
    }

    /** The production jar carries no simulator: Acme's description, from the sandbox, is handed to it as a file. */
    private Process start(List<String> arguments) throws Exception {
        Path acme = staging.resolveSibling(staging.getFileName() + "-acme-processing.yml");
        try (var description = getClass().getResourceAsStream("/io/kopek/sandbox/acme/acme-processing.yml")) {
            Files.write(acme, description.readAllBytes());
        }
        List<String> all = new ArrayList<>(List.of(
                "--spring.config.import=file:" + acme,
                "--kopek.generic-processors.acme.base-url=http://127.0.0.1:9/api/",
                "--kopek.ingest.staging-directory=" + staging));
        all.addAll(arguments);
        return kopek.start(all, Map.of());
    }

    private int workerId(Process process) throws Exception {
        Matcher m = WORKER.matcher(kopek.log(process));
        assertThat(m.find()).as("the process says which batch worker it is").isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static JsonNode run(String json) {
        return JSON.readTree(json);
    }

    private static long reconciliationRun(JsonNode run) {
        return run.path("summary").path("reconciliationRunId").asLong();
    }

    /** The run's partition steps by name ({@code matchPartition:partition3}), as this execution ran them. */
    private static Map<String, JsonNode> partitions(JsonNode run) {
        Map<String, JsonNode> partitions = new TreeMap<>();
        for (JsonNode step : run.path("steps")) {
            if (step.path("name").asString().startsWith("matchPartition:")) {
                partitions.put(step.path("name").asString(), step);
            }
        }
        return partitions;
    }

    /** Waits until a partition of the job run is STARTED on the worker, and names it. */
    private String awaitPartitionStartedBy(long jobRun, int worker) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            for (var p :
                    partitions(run(kopek.get("/api/v1/job-runs/" + jobRun))).entrySet()) {
                if (p.getValue().path("status").asString().equals("STARTED")
                        && p.getValue().path("counters").path("worker").asInt() == worker) {
                    return p.getKey();
                }
            }
            assertThat(System.nanoTime())
                    .as("worker " + worker + " runs a partition")
                    .isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** How many executions each partition of the job run's instance had, by partition name. */
    private Map<String, Integer> executionsPerPartition(long jobRun) throws Exception {
        Map<String, Integer> executions = new TreeMap<>();
        try (Connection c = kopek.connection();
                PreparedStatement s = c.prepareStatement(
                        "select s.step_name, count(*) from batch_step_execution s"
                                + " join batch_job_execution e on e.job_execution_id = s.job_execution_id"
                                + " where e.job_instance_id = (select job_instance_id from batch_job_execution"
                                + " where job_execution_id = ?) and s.step_name like 'matchPartition:%' group by s.step_name")) {
            s.setLong(1, jobRun);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    executions.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return executions;
    }

    /** Every result of the run, all but the run's id, in one order. */
    private List<String> results(long run) throws Exception {
        List<String> results = new ArrayList<>();
        try (Connection c = kopek.connection();
                PreparedStatement s = c.prepareStatement("select concat_ws('|', result, file_id, line_no, payment_id,"
                        + " refund_id, operation, provider_payment_id, match_key, registry_amount, ledger_amount,"
                        + " registry_commission, expected_commission, currency, why) r"
                        + " from reconciliation_result where run_id = ? order by r")) {
            s.setLong(1, run);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    results.add(rs.getString(1));
                }
            }
        }
        return results;
    }

    /** The day's discrepancies by item: result, why, amount, currency and status. */
    private Map<String, String> discrepancies() throws Exception {
        Map<String, String> discrepancies = new TreeMap<>();
        try (Connection c = kopek.connection();
                PreparedStatement s =
                        c.prepareStatement("select item_key, concat_ws('|', result, why, amount, currency,"
                                + " status) from discrepancy where provider = 'acme' and business_date = ?")) {
            s.setObject(1, DAY);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    discrepancies.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return discrepancies;
    }

    /** The runs that last saw the day's discrepancies. */
    private Set<Long> lastRunOfDiscrepancies() throws Exception {
        Set<Long> runs = new java.util.HashSet<>();
        try (Connection c = kopek.connection();
                PreparedStatement s = c.prepareStatement("select distinct last_run_id from discrepancy"
                        + " where provider = 'acme' and business_date = ?")) {
            s.setObject(1, DAY);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    runs.add(rs.getLong(1));
                }
            }
        }
        return runs;
    }

    private long fees() throws Exception {
        return Long.parseLong(kopek.query(
                "select coalesce(max(debits_posted), 0) from ledger_account where code = 'provider:acme:fees:RUB'"));
    }

    /** The figures of a run for the record: the run, its steps, its partitions. */
    private static void report(String what, JsonNode run, Duration took) {
        long total = 0;
        long slowest = 0;
        StringBuilder steps = new StringBuilder();
        for (JsonNode step : run.path("steps")) {
            long ms = step.path("duration_ms").asLong();
            if (step.path("name").asString().startsWith("matchPartition:")) {
                total += ms;
                slowest = Math.max(slowest, ms);
            } else {
                steps.append(' ')
                        .append(step.path("name").asString())
                        .append('=')
                        .append(ms)
                        .append("ms");
            }
        }
        int partitions = Math.max(1, partitions(run).size());
        System.out.printf(
                "RESULT remote-partitions %s: %d lines in %d ms;%s; partitions %d ms on average, %d ms the slowest%n",
                what, LINES, took.toMillis(), steps, total / partitions, slowest);
    }

    private static long amount(int i) {
        return 500_00 + i % 10_000;
    }

    private static long commission(int i) {
        return amount(i) / 100;
    }

    /** What matched lines post: every line but each hundredth, whose amount the registry gets wrong. */
    private static long expectedFees() {
        long fees = 0;
        for (int i = 0; i < LINES; i++) {
            if (i % 100 != 0) {
                fees += commission(i);
            }
        }
        return fees;
    }

    /** The ledger's card payments of the day, and Acme's registry of them in the staging directory. */
    private Path aDay(long customer) throws Exception {
        Instant morning = DAY.atTime(7, 0).atZone(ZoneOffset.UTC).toInstant();
        try (Connection c = kopek.connection();
                PreparedStatement insert = c.prepareStatement("insert into payment (customer_id, purpose, method,"
                        + " provider, status, amount, currency, provider_payment_id, created_at)"
                        + " select ?, 'top_up', 'card', 'acme', 'succeeded', 50000 + g % 10000, 'RUB', 'rp-' || g,"
                        + " ?::timestamptz + g * interval '100 milliseconds' from generate_series(0, ? - 1) g")) {
            insert.setLong(1, customer);
            insert.setTimestamp(2, java.sql.Timestamp.from(morning));
            insert.setInt(3, LINES);
            insert.executeUpdate();
        }
        List<Settled> settled = new ArrayList<>(LINES);
        for (int i = 0; i < LINES; i++) {
            long amount = i % 100 == 0 ? amount(i) + 1 : amount(i);
            settled.add(new Settled(
                    "rp-" + i,
                    "rp-" + i,
                    null,
                    Settled.Kind.PAYMENT,
                    amount,
                    commission(i),
                    morning.plusMillis(i * 100L),
                    "427600******1234",
                    "Order " + i));
        }
        Path dir = Files.createDirectories(staging.resolve("acme"));
        WrittenRegistry written = AcmeRegistry.write(settled, DAY, dir, Set.of());
        return written.path().toAbsolutePath();
    }
}

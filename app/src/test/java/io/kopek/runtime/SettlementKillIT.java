package io.kopek.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.sandbox.acme.AcmeRegistry;
import io.kopek.sandbox.registry.Settled;
import io.kopek.sandbox.registry.WrittenRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} in the middle of the {@code registryImport} job and of the {@code reconciliation} job, with the
 * packaged application as a real process: each run is marked failed by the next process, restarted through the
 * API, and ends as an uninterrupted run would: every line imported once, the same results, commissions posted once.
 */
class SettlementKillIT {

    private static final int LINES = 120_000;
    private static final LocalDate DAY = LocalDate.of(2026, 11, 20);

    private KopekProcesses kopek;
    private Path staging;

    @AfterEach
    void cleanUp() throws Exception {
        if (kopek != null) {
            kopek.close();
        }
    }

    @Test
    void killDashNineDuringImportAndReconciliationThenRestartsEndAsIfUninterrupted() throws Exception {
        kopek = new KopekProcesses("kopek_settlement_kill_it");
        staging = Files.createTempDirectory("kopek-kill-staging");
        Process first = startApplication();
        long customer = KopekProcesses.id(kopek.post("/api/v1/customers", """
                {"type":"individual","name":"Ivan Petrov","email":"ivan@example.ru"}"""));
        Path registry = aDay(customer);

        // Import: killed while the lines stream into COPY.
        long importRun = KopekProcesses.id(kopek.post(
                "/api/v1/jobs/registryImport/runs",
                "{\"parameters\":{\"provider\":\"acme\",\"file\":\"" + registry + "\"}}"));
        awaitActive("copy registry_line");
        KopekProcesses.kill(first);
        assertThat(kopek.query("select count(*) from registry_line"))
                .as("nothing kept of the cut COPY")
                .isEqualTo("0");

        Process second = startApplication();
        assertThat(KopekProcesses.status(kopek.get("/api/v1/job-runs/" + importRun)))
                .isEqualTo("FAILED");
        long importAgain = KopekProcesses.id(kopek.post("/api/v1/job-runs/" + importRun + "/restart", ""));
        assertThat(KopekProcesses.status(kopek.awaitEnd(importAgain))).isEqualTo("COMPLETED");
        assertThat(kopek.query("select status || ' ' || line_count from registry_file"))
                .isEqualTo("imported " + LINES);
        assertThat(kopek.query("select count(*) from registry_line")).isEqualTo(Integer.toString(LINES));

        // Reconciliation: killed while its SQL runs.
        String parameters = "{\"parameters\":{\"provider\":\"acme\",\"businessDate\":\"" + DAY + "\"}}";
        long reconciliationRun = KopekProcesses.id(kopek.post("/api/v1/jobs/reconciliation/runs", parameters));
        awaitActive("into reconciliation_result");
        KopekProcesses.kill(second);
        assertThat(kopek.query("select count(*) from reconciliation_run where status = 'done'"))
                .isEqualTo("0");

        startApplication();
        long reconcileAgain = KopekProcesses.id(kopek.post("/api/v1/job-runs/" + reconciliationRun + "/restart", ""));
        String restarted = kopek.awaitEnd(reconcileAgain);
        assertThat(KopekProcesses.status(restarted)).isEqualTo("COMPLETED");
        String uninterrupted =
                kopek.awaitEnd(KopekProcesses.id(kopek.post("/api/v1/jobs/reconciliation/runs", parameters)));

        assertThat(kopek.query("select count(*) from reconciliation_run where status = 'done'"))
                .isEqualTo("2");
        String counts = "select string_agg(result || '=' || n, ',' order by result) from (select result, count(*) n"
                + " from reconciliation_result where run_id = %d group by result) r";
        List<String> byRun = new ArrayList<>();
        for (String id : kopek.query("select string_agg(id::text, ',' order by id) from reconciliation_run")
                .split(",")) {
            byRun.add(kopek.query(counts.formatted(Long.parseLong(id))));
        }
        assertThat(byRun.getFirst())
                .as("after a kill and a restart as uninterrupted")
                .isEqualTo(byRun.getLast());
        assertThat(byRun.getFirst()).contains("matched=" + (LINES - LINES / 100));
        // Each matched line's commission once, whatever the runs: 1 % of the amounts below.
        assertThat(kopek.query("select debits_posted from ledger_account where code = 'provider:acme:fees:RUB'"))
                .isEqualTo(Long.toString(expectedFees()));
        assertThat(restarted).contains("\"matched\":" + (LINES - LINES / 100));
        assertThat(uninterrupted).contains("\"matched\":" + (LINES - LINES / 100));
    }

    /**
     * The production jar carries no simulator and none of its descriptions: Acme's, from the sandbox on this test's
     * class path, is handed to it as a file.
     */
    private Process startApplication() throws Exception {
        Path acme = staging.resolveSibling(staging.getFileName() + "-acme-processing.yml");
        try (var description = getClass().getResourceAsStream("/io/kopek/sandbox/acme/acme-processing.yml")) {
            Files.write(acme, description.readAllBytes());
        }
        return kopek.start(
                List.of(
                        "--spring.config.import=file:" + acme,
                        "--kopek.generic-processors.acme.base-url=http://127.0.0.1:9/api/",
                        "--kopek.ingest.staging-directory=" + staging),
                Map.of());
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
        Instant noon = DAY.atTime(7, 0).atZone(java.time.ZoneOffset.UTC).toInstant();
        List<Settled> settled = new ArrayList<>(LINES);
        try (Connection c = kopek.connection();
                PreparedStatement insert = c.prepareStatement("insert into payment (customer_id, purpose, method,"
                        + " provider, status, amount, currency, provider_payment_id, created_at)"
                        + " select ?, 'top_up', 'card', 'acme', 'succeeded', 50000 + g % 10000, 'RUB', 'ak-' || g,"
                        + " ?::timestamptz + g * interval '100 milliseconds' from generate_series(0, ? - 1) g")) {
            insert.setLong(1, customer);
            insert.setTimestamp(2, java.sql.Timestamp.from(noon));
            insert.setInt(3, LINES);
            insert.executeUpdate();
        }
        for (int i = 0; i < LINES; i++) {
            long amount = i % 100 == 0 ? amount(i) + 1 : amount(i);
            settled.add(new Settled(
                    "ak-" + i,
                    "ak-" + i,
                    null,
                    Settled.Kind.PAYMENT,
                    amount,
                    commission(i),
                    noon.plusMillis(i * 100L),
                    "427600******1234",
                    "Order " + i));
        }
        Path dir = Files.createDirectories(staging.resolve("acme"));
        WrittenRegistry written = AcmeRegistry.write(settled, DAY, dir, Set.of());
        return written.path().toAbsolutePath();
    }

    /** Waits until the database runs a statement containing {@code fragment} for the application. */
    private void awaitActive(String fragment) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (Integer.parseInt(kopek.query("select count(*) from pg_stat_activity where state = 'active'"
                        + " and query ilike '%" + fragment + "%' and query not ilike '%pg_stat_activity%'"))
                == 0) {
            assertThat(System.nanoTime()).as("the job reaches " + fragment).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}

package io.kopek.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.sandbox.atol.AtolSimulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} in the middle of a {@code fiscalPush} run, with the packaged application as a real process: the
 * next process marks the run FAILED at start-up (its worker's advisory lock is gone), the run is restarted through
 * the API, and in the end every receipt is registered exactly once at the operator and done in the database.
 */
class FiscalKillIT {

    private static final int TOP_UPS = 120;
    private static final int CONCURRENCY = 4;

    private KopekProcesses kopek;
    private AtolSimulator atol;

    @AfterEach
    void cleanUp() throws Exception {
        if (atol != null) {
            atol.close();
        }
        if (kopek != null) {
            kopek.close();
        }
    }

    @Test
    void killDashNineDuringAPushThenARestartLosesAndDoublesNoReceipt() throws Exception {
        kopek = new KopekProcesses("kopek_kill_it");
        atol = AtolSimulator.start(0, "kill-it", "kill-it-password", "kill-it_1");
        atol.script().latency(Duration.ofMillis(100)); // 4 in flight: about 40 receipts/s, so the push takes a while

        Process first = startApplication();
        String customer = setUpCustomer();
        for (int i = 0; i < TOP_UPS; i++) {
            post(
                    "/api/v1/customers/" + customer + "/top-ups",
                    "{\"amount\":{\"amount\":" + (100_00 + i) + ",\"currency\":\"RUB\"},\"reference\":\"PP-" + i
                            + "\"}");
        }
        long run = id(post("/api/v1/jobs/fiscalPush/runs", "{}"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (atol.receiptsRegistered() < 30) {
            assertThat(System.nanoTime()).as("receipts reach the operator").isLessThan(deadline);
            Thread.sleep(20);
        }

        KopekProcesses.kill(first);
        int registeredAtKill = atol.receiptsRegistered();
        assertThat(registeredAtKill).as("killed in the middle of the push").isLessThan(TOP_UPS);
        assertThat(query("select status from batch_job_execution where job_execution_id = " + run))
                .as("the dead process left its run running")
                .isEqualTo("STARTED");

        startApplication();
        String recovered = get("/api/v1/job-runs/" + run);
        assertThat(status(recovered))
                .as("marked failed when the next worker starts")
                .isEqualTo("FAILED");
        assertThat(recovered).contains("recovered");

        String restarted = post("/api/v1/job-runs/" + run + "/restart", "");
        assertThat(restarted).contains("\"restart_of\":" + run);
        assertThat(status(awaitEnd(id(restarted)))).isEqualTo("COMPLETED");
        deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!query("select count(*) from receipt where state <> 'done'").equals("0")) {
            assertThat(System.nanoTime())
                    .as("every receipt done; states: "
                            + query("select string_agg(state || ' ' || n, ', ')"
                                    + " from (select state, count(*) n from receipt group by state) s"))
                    .isLessThan(deadline);
            awaitEnd(id(post("/api/v1/jobs/fiscalPush/runs", "{}"))); // receipts still leased to the dead process
            awaitEnd(id(post("/api/v1/jobs/fiscalStatus/runs", "{}")));
        }

        assertThat(query("select count(*) from receipt")).isEqualTo(Integer.toString(TOP_UPS));
        assertThat(atol.receiptsRegistered()).as("registered exactly once each").isEqualTo(TOP_UPS);
        int resent = 0;
        for (String pair : query("select string_agg(id || ' ' || external_id, ',') from receipt")
                .split(",")) {
            String id = pair.split(" ")[0];
            String externalId = pair.split(" ")[1];
            assertThat(atol.registered(externalId))
                    .as("receipt " + id + " registered")
                    .isNotNull();
            int calls = atol.registerCalls(externalId);
            assertThat(calls).as("register calls of receipt " + id).isBetween(1, 2);
            resent += calls - 1;
        }
        System.out.printf(
                "kill -9 after %d of %d receipts were registered; %d sent again after the restart, none twice%n",
                registeredAtKill, TOP_UPS, resent);
        // Only what was in flight at the kill is sent again, and the operator answers with the first registration.
        assertThat(resent).isLessThanOrEqualTo(CONCURRENCY);
    }

    private Process startApplication() throws Exception {
        return kopek.start(
                List.of(
                        "--kopek.fiscal.company.inn=7707083893",
                        "--kopek.fiscal.company.sno=osn",
                        "--kopek.fiscal.company.email=shop@example.ru",
                        "--kopek.fiscal.company.payment-address=https://shop.example.ru",
                        "--kopek.fiscal.concurrency=" + CONCURRENCY,
                        "--kopek.fiscal.batch-size=8",
                        "--kopek.fiscal.lease=2s",
                        "--kopek.fiscal.outbox-settle=0s",
                        "--kopek.fiscal.poll-interval=0s",
                        "--kopek.fiscal.atol.enabled=true",
                        "--kopek.fiscal.atol.base-url=" + atol.baseUrl(),
                        "--kopek.batch.fiscal.pass-size=16"),
                // Credentials from the environment, as in production.
                Map.of(
                        "KOPEK_FISCAL_ATOL_LOGIN", "kill-it",
                        "KOPEK_FISCAL_ATOL_PASSWORD", "kill-it-password",
                        "KOPEK_FISCAL_ATOL_GROUP", "kill-it_1"));
    }

    private String setUpCustomer() throws Exception {
        return Long.toString(id(post("/api/v1/customers", """
                {"type":"individual","name":"Ivan Petrov","email":"ivan@example.ru"}""")));
    }

    private String post(String path, String json) throws Exception {
        return kopek.post(path, json);
    }

    private String get(String path) throws Exception {
        return kopek.get(path);
    }

    private String awaitEnd(long run) throws Exception {
        return kopek.awaitEnd(run);
    }

    private String query(String sql) throws Exception {
        return kopek.query(sql);
    }

    private static long id(String json) {
        return KopekProcesses.id(json);
    }

    private static String status(String json) {
        return KopekProcesses.status(json);
    }
}

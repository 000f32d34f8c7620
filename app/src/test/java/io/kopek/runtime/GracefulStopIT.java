package io.kopek.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.sandbox.atol.AtolSimulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM in the middle of a {@code fiscalPush} run, as a roll-out or a scale-down stops a batch container, with the
 * packaged application as a real process named as a pod would be ({@code KOPEK_BATCH_WORKER_NAME}): the run is asked
 * to stop, ends STOPPED at its next pass, the process exits within its stop timeout, and a restart on the next
 * process completes it with every receipt registered exactly once.
 */
class GracefulStopIT {

    private static final int TOP_UPS = 120;
    private static final String POD = "kopek-batch-6d4f9c7b8-x2k4q";

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
    void aSigtermMidRunStopsTheRunCleanlyAndARestartCompletesIt() throws Exception {
        kopek = new KopekProcesses("kopek_stop_it");
        atol = AtolSimulator.start(0, "stop-it", "stop-it-password", "stop-it_1");
        atol.script().latency(Duration.ofMillis(100)); // about 40 receipts/s: the push takes a few seconds

        Process first = startApplication(Map.of("KOPEK_BATCH_WORKER_NAME", POD));
        String customer = Long.toString(KopekProcesses.id(kopek.post("/api/v1/customers", """
                {"type":"individual","name":"Ivan Petrov","email":"ivan@example.ru"}""")));
        for (int i = 0; i < TOP_UPS; i++) {
            kopek.post(
                    "/api/v1/customers/" + customer + "/top-ups",
                    "{\"amount\":{\"amount\":" + (100_00 + i) + ",\"currency\":\"RUB\"},\"reference\":\"PP-" + i
                            + "\"}");
        }
        long run = KopekProcesses.id(kopek.post("/api/v1/jobs/fiscalPush/runs", "{}"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (atol.receiptsRegistered() < 30) {
            assertThat(System.nanoTime()).as("receipts reach the operator").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(kopek.query("select host from batch_execution_owner where job_execution_id = " + run))
                .as("the run's worker, named as its pod")
                .isEqualTo(POD);

        int exit = KopekProcesses.terminate(first, Duration.ofSeconds(60));

        assertThat(exit).as("the JVM's exit on SIGTERM").isEqualTo(143);
        assertThat(atol.receiptsRegistered()).as("stopped in the middle").isLessThan(TOP_UPS);
        assertThat(kopek.query("select status from batch_job_execution where job_execution_id = " + run))
                .as("the run stopped cleanly instead of being left running for the recovery")
                .isEqualTo("STOPPED");

        startApplication(Map.of());
        String restarted = kopek.post("/api/v1/job-runs/" + run + "/restart", "");
        assertThat(KopekProcesses.status(kopek.awaitEnd(KopekProcesses.id(restarted))))
                .isEqualTo("COMPLETED");
        deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!kopek.query("select count(*) from receipt where state <> 'done'")
                .equals("0")) {
            assertThat(System.nanoTime()).as("every receipt done").isLessThan(deadline);
            kopek.awaitEnd(KopekProcesses.id(kopek.post("/api/v1/jobs/fiscalPush/runs", "{}")));
            kopek.awaitEnd(KopekProcesses.id(kopek.post("/api/v1/jobs/fiscalStatus/runs", "{}")));
        }
        assertThat(atol.receiptsRegistered()).as("registered exactly once each").isEqualTo(TOP_UPS);
    }

    private Process startApplication(Map<String, String> environment) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.putAll(Map.of(
                "KOPEK_FISCAL_ATOL_LOGIN", "stop-it",
                "KOPEK_FISCAL_ATOL_PASSWORD", "stop-it-password",
                "KOPEK_FISCAL_ATOL_GROUP", "stop-it_1"));
        return kopek.start(
                List.of(
                        "--kopek.fiscal.company.inn=7707083893",
                        "--kopek.fiscal.company.sno=osn",
                        "--kopek.fiscal.company.email=shop@example.ru",
                        "--kopek.fiscal.company.payment-address=https://shop.example.ru",
                        "--kopek.fiscal.concurrency=4",
                        "--kopek.fiscal.batch-size=8",
                        "--kopek.fiscal.lease=2s",
                        "--kopek.fiscal.outbox-settle=0s",
                        "--kopek.fiscal.poll-interval=0s",
                        "--kopek.fiscal.atol.enabled=true",
                        "--kopek.fiscal.atol.base-url=" + atol.baseUrl(),
                        "--kopek.batch.fiscal.pass-size=16",
                        "--kopek.batch.stop-timeout=30s"),
                env);
    }
}

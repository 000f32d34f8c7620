package io.kopek.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.sandbox.atol.AtolSimulator;
import io.kopek.testing.ScratchDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} in the middle of a {@code fiscalPush} run, with the packaged application as a real process: the
 * next process marks the run FAILED at start-up (its worker's advisory lock is gone), the run is restarted through
 * the API, and in the end every receipt is registered exactly once at the operator and done in the database.
 */
class FiscalKillIT {

    private static final Path JAR = Path.of("target/kopek.jar").toAbsolutePath();
    private static final int TOP_UPS = 120;
    private static final int CONCURRENCY = 4;
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([A-Z]+)\"");

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String adminKey =
            "kpk_0123456789ab_" + UUID.randomUUID().toString().replace("-", "") + "abcdefghijk";
    private ScratchDatabase db;
    private AtolSimulator atol;
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private int port;

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (atol != null) {
            atol.close();
        }
        if (db != null) {
            db.close();
        }
        for (Path log : logs) {
            Files.deleteIfExists(log);
        }
        http.close();
    }

    @Test
    void killDashNineDuringAPushThenARestartLosesAndDoublesNoReceipt() throws Exception {
        db = ScratchDatabase.create("kopek_kill_it");
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

        first.destroyForcibly(); // SIGKILL: no shutdown hook, no last word to the database
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
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
        for (String id : query("select string_agg(id::text, ',') from receipt").split(",")) {
            String externalId = "kopek-" + id;
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
        port = freePort();
        Path log = Files.createTempFile("kopek-kill-it-", ".log");
        logs.add(log);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(
                        java,
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        JAR.toString(),
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
                        "--kopek.batch.fiscal.pass-size=16")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("KOPEK_DB_URL", db.url());
        builder.environment().put("KOPEK_PORT", Integer.toString(port));
        builder.environment().put("KOPEK_ROLES", "api,batch");
        builder.environment().put("KOPEK_SECURITY_BOOTSTRAP_ADMIN_KEY", adminKey);
        // Credentials from the environment, as in production.
        builder.environment().put("KOPEK_FISCAL_ATOL_LOGIN", "kill-it");
        builder.environment().put("KOPEK_FISCAL_ATOL_PASSWORD", "kill-it-password");
        builder.environment().put("KOPEK_FISCAL_ATOL_GROUP", "kill-it_1");
        Process process = builder.start();
        processes.add(process);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("the application exited:\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> health = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not ready within 120 s:\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    private String setUpCustomer() throws Exception {
        return Long.toString(id(post("/api/v1/customers", """
                {"type":"individual","name":"Ivan Petrov","email":"ivan@example.ru"}""")));
    }

    private String awaitEnd(long run) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            String body = get("/api/v1/job-runs/" + run);
            String status = status(body);
            if (!status.equals("STARTING") && !status.equals("STARTED") && !status.equals("STOPPING")) {
                return body;
            }
            assertThat(System.nanoTime()).as("run " + run + " ends: " + body).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private String post(String path, String json) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + adminKey)
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("POST " + path + ": " + response.body())
                .isBetween(200, 299);
        return response.body();
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + adminKey)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("GET " + path + ": " + response.body())
                .isEqualTo(200);
        return response.body();
    }

    private String query(String sql) throws SQLException {
        String url = db.url() + (db.url().contains("?") ? "&" : "?") + "currentSchema=kopek";
        try (Connection c = DriverManager.getConnection(url);
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long id(String json) {
        Matcher m = ID.matcher(json);
        assertThat(m.find()).as("an id in " + json).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static String status(String json) {
        Matcher m = STATUS.matcher(json);
        assertThat(m.find()).as("a status in " + json).isTrue();
        return m.group(1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

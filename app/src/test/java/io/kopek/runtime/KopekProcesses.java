package io.kopek.runtime;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged application as real processes over one scratch database, for tests that kill one with
 * {@code kill -9}: start one (roles api and batch, an admin key), talk to the latest over HTTP, read the database.
 */
final class KopekProcesses implements AutoCloseable {

    private static final Path JAR = Path.of("target/kopek-exec.jar").toAbsolutePath();
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([A-Z]+)\"");

    final ScratchDatabase db;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String adminKey =
            "kpk_0123456789ab_" + UUID.randomUUID().toString().replace("-", "") + "abcdefghijk";
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private int port;

    KopekProcesses(String database) {
        this.db = ScratchDatabase.create(database);
    }

    /** Starts the application with these arguments and environment, and waits until it is ready. */
    Process start(List<String> arguments, Map<String, String> environment) throws Exception {
        port = freePort();
        Path log = Files.createTempFile("kopek-process-", ".log");
        logs.add(log);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-jar",
                JAR.toString()));
        command.addAll(arguments);
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("KOPEK_DB_URL", db.url());
        builder.environment().put("KOPEK_PORT", Integer.toString(port));
        builder.environment().put("KOPEK_ROLES", "api,batch");
        builder.environment().put("KOPEK_SECURITY_BOOTSTRAP_ADMIN_KEY", adminKey);
        builder.environment().putAll(environment);
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

    /** What the process has written so far. */
    String log(Process process) throws IOException {
        return Files.readString(logs.get(processes.indexOf(process)));
    }

    /** SIGKILL: no shutdown hook, no last word to the database. */
    static void kill(Process process) throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /**
     * SIGTERM, as Docker and Kubernetes stop a container: the JVM's shutdown hooks run (Spring's graceful shutdown);
     * waits for the process to end, and returns its exit code.
     */
    static int terminate(Process process, Duration within) throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(within.toSeconds(), TimeUnit.SECONDS))
                .as("ended within " + within + " of SIGTERM")
                .isTrue();
        return process.exitValue();
    }

    /** Waits until the job run has ended, and returns it. */
    String awaitEnd(long run) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
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

    String post(String path, String json) throws Exception {
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

    String get(String path) throws Exception {
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

    /** The first column of the first row, as text. */
    String query(String sql) throws SQLException {
        try (Connection c = connection();
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    Connection connection() throws SQLException {
        return DriverManager.getConnection(db.url() + (db.url().contains("?") ? "&" : "?") + "currentSchema=kopek");
    }

    static long id(String json) {
        Matcher m = ID.matcher(json);
        assertThat(m.find()).as("an id in " + json).isTrue();
        return Long.parseLong(m.group(1));
    }

    static String status(String json) {
        Matcher m = STATUS.matcher(json);
        assertThat(m.find()).as("a status in " + json).isTrue();
        return m.group(1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        db.close();
        for (Path log : logs) {
            Files.deleteIfExists(log);
        }
        http.close();
    }
}

package io.kopek.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox as the Dockerfile's {@code sandbox} target runs it: the packaged demo jar with
 * {@code -Dloader.main=io.kopek.demo.SandboxServer} through Spring Boot's {@code PropertiesLauncher}, as a process of
 * its own that prints what it serves, answers, and ends on SIGTERM.
 */
class SandboxServerIT {

    private static final Path JAR = Path.of("target/kopek-demo.jar").toAbsolutePath();

    @TempDir
    Path registries;

    @Test
    void theDockerfilesSandboxCommandStartsTheSimulatorsThatAnswer() throws Exception {
        int yookassa = freePort(), sber = freePort(), acme = freePort(), atol = freePort();
        Path log = Files.createTempFile("kopek-sandbox-", ".log");
        // The Dockerfile's ENTRYPOINT of the sandbox target, with the jar where Maven left it.
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:MaxRAMPercentage=75",
                "-Dloader.main=io.kopek.demo.SandboxServer",
                "-cp",
                JAR.toString(),
                "org.springframework.boot.loader.launch.PropertiesLauncher"));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment()
                .putAll(Map.ofEntries(
                        Map.entry("KOPEK_SANDBOX_BIND", "127.0.0.1"),
                        Map.entry("KOPEK_SANDBOX_YOOKASSA_PORT", Integer.toString(yookassa)),
                        Map.entry("KOPEK_SANDBOX_SBER_PORT", Integer.toString(sber)),
                        Map.entry("KOPEK_SANDBOX_ACME_PORT", Integer.toString(acme)),
                        Map.entry("KOPEK_SANDBOX_ATOL_PORT", Integer.toString(atol)),
                        Map.entry("KOPEK_SANDBOX_YOOKASSA_SHOP_ID", "it-shop"),
                        Map.entry("KOPEK_SANDBOX_YOOKASSA_SECRET_KEY", "it-secret"),
                        Map.entry("KOPEK_SANDBOX_SBER_USER_NAME", "it-api"),
                        Map.entry("KOPEK_SANDBOX_SBER_PASSWORD", "it-password"),
                        Map.entry("KOPEK_SANDBOX_SBER_CALLBACK_KEY", "it-callback"),
                        Map.entry("KOPEK_SANDBOX_ACME_API_KEY", "it-acme"),
                        Map.entry("KOPEK_SANDBOX_ACME_CALLBACK_SECRET", "it-acme-callback"),
                        Map.entry("KOPEK_SANDBOX_ATOL_LOGIN", "it-atol"),
                        Map.entry("KOPEK_SANDBOX_ATOL_PASSWORD", "it-atol-password"),
                        Map.entry("KOPEK_SANDBOX_ATOL_GROUP", "it-group_1"),
                        Map.entry("KOPEK_SANDBOX_REGISTRIES", registries.toString())));
        Process sandbox = builder.start();
        try (HttpClient http = HttpClient.newHttpClient()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Files.readString(log).contains("kopek sandbox: ATOL Online v5")) {
                assertThat(sandbox.isAlive()).as(Files.readString(log)).isTrue();
                assertThat(System.nanoTime()).as("started within 60 s").isLessThan(deadline);
                Thread.sleep(100);
            }
            HttpResponse<String> token = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + atol + "/possystem/v5/getToken"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"login\":\"it-atol\",\"pass\":\"it-atol-password\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(token.statusCode()).isEqualTo(200);
            assertThat(token.body()).contains("\"token\"");
            assertThat(registries.resolve("yookassa"))
                    .as("each provider's drop")
                    .isDirectory();
            assertThat(registries.resolve("sber")).isDirectory();
            assertThat(registries.resolve("acme")).isDirectory();

            sandbox.destroy(); // SIGTERM, as docker stop sends
            assertThat(sandbox.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            sandbox.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

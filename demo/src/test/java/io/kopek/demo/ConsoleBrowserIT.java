package io.kopek.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator console in a real browser: the demo application (its simulators, SFTP server and demo data, over
 * this test run's own database) and the browser tests of {@code scheduler/console/e2e}, run by Node's test runner
 * driving Debian's Chromium headless through playwright-core. The people are the demo's, with the passwords it
 * printed; the sandbox day is the one whose registries the demo's providers delivered. Screenshots of every page
 * are kept in {@code demo/target/console-screenshots}.
 */
class ConsoleBrowserIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path CONSOLE = ROOT.resolve("scheduler/console");
    private static final Pattern PERSON =
            Pattern.compile("^\\s+(operator|accountant|finance|admin)\\s+(\\S+)\\s*$", Pattern.MULTILINE);

    private Process demo;

    @AfterEach
    void stop() throws InterruptedException {
        if (demo != null && demo.isAlive()) {
            demo.destroy();
            if (!demo.waitFor(30, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
        }
    }

    @Test
    void operatorsAccountantsAndFinanceDoTheirWorkInTheConsole() throws Exception {
        Path chromium = chromium();
        assertThat(CONSOLE.resolve("node_modules/playwright-core"))
                .as("the console's npm packages (the scheduler module's build runs npm ci)")
                .isDirectory();
        Path target = ROOT.resolve("demo/target");
        Path screenshots = target.resolve("console-screenshots");
        Path log = target.resolve("console-demo.log");
        Path e2eLog = target.resolve("console-e2e.log");
        int port = freePort();

        ProcessBuilder app = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-Xmx768m",
                        "-jar",
                        target.resolve("kopek-demo.jar").toString(),
                        "--spring.profiles.active=demo",
                        "--server.port=" + port)
                .directory(target.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        app.environment().put("KOPEK_DB_URL", System.getProperty("spring.datasource.url"));
        app.environment()
                .put(
                        "KOPEK_REPORTS_DIRECTORY",
                        target.resolve("console-reports").toString());
        app.environment().put("KOPEK_LOGS_JSON", "false");
        demo = app.start();
        awaitReady(port, log, Duration.ofSeconds(180));
        Map<String, String[]> people = people(log, Duration.ofSeconds(30));
        assertThat(people).containsOnlyKeys("operator", "accountant", "finance", "admin");

        ProcessBuilder browserTests = new ProcessBuilder("node", "--test", "--test-concurrency=1", "e2e/")
                .directory(CONSOLE.toFile())
                .redirectErrorStream(true)
                .redirectOutput(e2eLog.toFile());
        Map<String, String> env = browserTests.environment();
        env.put("KOPEK_URL", "http://localhost:" + port);
        env.put("KOPEK_USERS", usersJson(people));
        env.put("KOPEK_SCREENSHOTS", screenshots.toString());
        env.put("KOPEK_CHROMIUM", chromium.toString());
        env.put("KOPEK_E2E_PROVIDER", "yookassa");
        env.put("KOPEK_E2E_DAY", LocalDate.now(ZoneId.of("Europe/Moscow")).toString());
        Process tests = browserTests.start();
        boolean ended = tests.waitFor(15, TimeUnit.MINUTES);
        if (!ended) {
            tests.destroyForcibly();
        }
        String output = Files.readString(e2eLog);
        assertThat(ended)
                .as("the browser tests ended within 15 minutes:%n%s", output)
                .isTrue();
        assertThat(tests.exitValue())
                .as("the browser tests passed:%n%s", output)
                .isZero();
        assertThat(output)
                .as("no browser test was skipped")
                .contains("# skipped 0")
                .contains("# fail 0");
        try (Stream<Path> shots = Files.list(screenshots)) {
            assertThat(shots.filter(p -> p.toString().endsWith(".png")).count())
                    .as("a screenshot of every page")
                    .isGreaterThanOrEqualTo(6);
        }
    }

    /** Debian's Chromium, installed by the project's script when it is missing and this runs as root. */
    private static Path chromium() throws IOException, InterruptedException {
        Path chromium = Path.of(System.getenv().getOrDefault("KOPEK_CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            new ProcessBuilder("bash", ROOT.resolve("scripts/ensure-chromium").toString())
                    .inheritIO()
                    .start()
                    .waitFor(10, TimeUnit.MINUTES);
        }
        assertThat(Files.isExecutable(chromium))
                .as(
                        "%s: the browser tests need Debian's chromium (scripts/ensure-chromium installs it as root)",
                        chromium)
                .isTrue();
        return chromium;
    }

    private void awaitReady(int port, Path log, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(demo.isAlive())
                    .as("the demo is running:%n%s", Files.readString(log))
                    .isTrue();
            try {
                HttpResponse<String> health = http.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness"))
                                // an application that hangs fails the test at its deadline, not never
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the demo did not get ready in " + timeout + ":\n" + Files.readString(log));
    }

    /** The demo's people and the passwords it printed at start-up. */
    private static Map<String, String[]> people(Path log, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String[]> found = new LinkedHashMap<>();
        while (found.size() < 4 && System.nanoTime() < deadline) {
            String text = Files.readString(log);
            int banner = text.lastIndexOf("demo: sign in to the console");
            if (banner >= 0) {
                Matcher m = PERSON.matcher(text.substring(banner));
                while (m.find()) {
                    found.putIfAbsent(m.group(1), new String[] {m.group(1), m.group(2)});
                }
            }
            Thread.sleep(200);
        }
        return found;
    }

    private static String usersJson(Map<String, String[]> people) {
        return people.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":{\"login\":\"" + e.getValue()[0] + "\",\"password\":\""
                        + e.getValue()[1] + "\"}")
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

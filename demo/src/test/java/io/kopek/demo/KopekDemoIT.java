package io.kopek.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./kopek demo} on a machine whose PostgreSQL port answers nothing: the script falls back to an embedded
 * PostgreSQL, the platform reports UP with its demo data behind the printed admin key, and Ctrl-C (SIGINT to the
 * process group) stops the application and the database it started.
 */
class KopekDemoIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private Path data;
    private Process demo;

    @AfterEach
    void cleanUp() throws IOException {
        if (demo != null && demo.isAlive()) {
            demo.destroyForcibly();
        }
        if (data != null) {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void demoRunsOnEmbeddedPostgresAndStopsEverythingOnCtrlC() throws Exception {
        // World-traversable, because as root the embedded PostgreSQL runs as nobody.
        data = Files.createTempDirectory(
                "kopek-demo-it", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        int appPort = freePort();
        Path log = data.resolve("demo.log");
        ProcessBuilder builder = new ProcessBuilder(
                        "setsid", "bash", ROOT.resolve("kopek").toString(), "demo")
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("KOPEK_DB_URL");
        builder.environment().put("KOPEK_PG_PORT", Integer.toString(freePort()));
        builder.environment().put("KOPEK_PORT", Integer.toString(appPort));
        builder.environment().put("KOPEK_DATA", data.resolve("kopek").toString());
        builder.environment().put("KOPEK_LOGS_JSON", "true");
        demo = builder.start();

        String health = awaitHealth(demo, appPort, log, Duration.ofSeconds(120));
        assertThat(health).contains("\"status\":\"UP\"");
        String output = Files.readString(log);
        assertThat(output).contains("falling back to an embedded one").contains("started embedded PostgreSQL");
        assertThat(output.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow())
                .as("JSON logs were asked for")
                .contains("\"ecs\":{\"version\"");
        int pgPort = embeddedPort(output);
        embeddedDatabaseAsksForAPasswordAndTheAppIsNoSuperuser(
                pgPort, data.resolve("kopek").resolve("pgpass"));
        String adminKey = Files.readString(data.resolve("kopek").resolve("demo-admin-key"))
                .strip();
        assertThat(output).contains(adminKey);
        theConsoleUsersSignInWithThePasswordsPrinted(appPort, log);
        String invoices = get(appPort, "/api/v1/invoices", adminKey);
        assertThat(invoices).contains("DEMO-").contains("\"status\":\"paid\"").contains("\"status\":\"issued\"");
        assertThat(get(appPort, "/v3/api-docs", null)).contains("/api/v1/orders");
        // The paid invoice's receipt, sent by the batch jobs to the simulated ATOL Online, with fiscal attributes.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String receipts = get(appPort, "/api/v1/receipts?invoice_id=1", adminKey);
        while (!receipts.contains("\"state\":\"done\"") && System.nanoTime() < deadline) {
            Thread.sleep(500);
            receipts = get(appPort, "/api/v1/receipts?invoice_id=1", adminKey);
        }
        assertThat(receipts).contains("\"state\":\"done\"").contains("\"fn_number\"");
        reconciliationReportOfTheDemoDayIsReadyToDownload(appPort, adminKey, log);
        theMailsSentAreShownOnTheDemosMailPage(appPort, log);
        theWebhooksSentAreShownOnTheDemosWebhookPage(appPort, log);
        int searchPort = theDemosPaymentsAreFoundByThePrintedSearchQuery(log);

        // Ctrl-C: SIGINT to the whole process group, as a terminal does. setsid made the script its leader.
        new ProcessBuilder("kill", "-INT", "--", "-" + demo.pid())
                .inheritIO()
                .start()
                .waitFor();
        assertThat(demo.waitFor(60, TimeUnit.SECONDS))
                .as("demo stopped after Ctrl-C")
                .isTrue();

        assertThat(Files.readString(log)).contains("stopped the embedded PostgreSQL");
        assertThat(accepts(pgPort)).as("embedded PostgreSQL port closed").isFalse();
        assertThat(accepts(appPort)).as("application port closed").isFalse();
        if (searchPort > 0) {
            assertThat(accepts(searchPort)).as("search engine port closed").isFalse();
        }
    }

    /**
     * The embedded server wants a password, kept in KOPEK_DATA/pgpass for this user only, and the application's
     * own role owns the demo's database without being a superuser.
     */
    private static void embeddedDatabaseAsksForAPasswordAndTheAppIsNoSuperuser(int pgPort, Path pgpass)
            throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pgpass)))
                .isEqualTo("rw-------");
        String url = "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
        java.util.Properties guess = new java.util.Properties();
        guess.setProperty("user", "kopek");
        guess.setProperty("password", "kopek");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> java.sql.DriverManager.getConnection(url, guess))
                .hasMessageContaining("password authentication failed");
        java.util.Properties superuser = new java.util.Properties();
        superuser.setProperty("user", "kopek");
        superuser.setProperty("password", passwordIn(pgpass, "kopek"));
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, superuser);
                var rows = c.createStatement()
                        .executeQuery("select r.rolsuper, r.rolcreatedb, r.rolcreaterole, pg_get_userbyid(d.datdba)"
                                + " from pg_roles r, pg_database d where r.rolname = 'kopek_app'"
                                + " and d.datname = 'kopek_demo'")) {
            assertThat(rows.next())
                    .as("the app's role and the demo's database exist")
                    .isTrue();
            assertThat(rows.getBoolean(1)).as("superuser").isFalse();
            assertThat(rows.getBoolean(2)).as("createdb").isFalse();
            assertThat(rows.getBoolean(3)).as("createrole").isFalse();
            assertThat(rows.getString(4)).as("the demo database's owner").isEqualTo("kopek_app");
        }
    }

    private static String passwordIn(Path pgpass, String role) throws IOException {
        return Files.readAllLines(pgpass).stream()
                .filter(l -> l.startsWith("*:*:*:" + role + ":"))
                .map(l -> l.substring(("*:*:*:" + role + ":").length()))
                .findFirst()
                .orElseThrow();
    }

    private static String awaitHealth(Process demo, int port, Path log, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (HttpClient client = HttpClient.newHttpClient()) {
            while (System.nanoTime() < deadline) {
                if (!demo.isAlive()) {
                    throw new AssertionError(
                            "the demo exited with " + demo.exitValue() + ":\n" + Files.readString(log));
                }
                try {
                    HttpResponse<String> response = client.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                                    // an application that hangs fails the test at its deadline, not never
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        return response.body();
                    }
                } catch (IOException notYet) {
                    // still starting
                }
                Thread.sleep(500);
            }
        }
        throw new AssertionError("no healthy demo within " + timeout + ":\n" + Files.readString(log));
    }

    /**
     * The providers' registries of the demo day are fetched, imported and reconciled; each reconciled day gets its
     * reconciliation report in XLSX and PDF, which the log says where to download.
     */
    private static void reconciliationReportOfTheDemoDayIsReadyToDownload(int port, String key, Path log)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String runs = get(port, "/api/v1/report-runs?report=reconciliation&state=succeeded", key);
        while (!runs.contains("\"format\":\"xlsx\"") && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            runs = get(port, "/api/v1/report-runs?report=reconciliation&state=succeeded", key);
        }
        Matcher xlsx = Pattern.compile("\\{\"id\":(\\d+),\"report\":\"reconciliation\",\"format\":\"xlsx\"")
                .matcher(runs);
        assertThat(xlsx.find())
                .as("a succeeded XLSX reconciliation report in " + runs)
                .isTrue();
        String id = xlsx.group(1);
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<byte[]> file = client.send(
                    HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/api/v1/report-runs/" + id + "/file"))
                            .header("Authorization", "Bearer " + key)
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.headers().firstValue("Content-Disposition").orElse(""))
                    .contains("reconciliation_")
                    .contains(".xlsx");
            assertThat(file.headers().firstValue("Repr-Digest")).isPresent();
            assertThat(new String(file.body(), 0, 2, java.nio.charset.StandardCharsets.US_ASCII))
                    .as("a zip, as an XLSX file is")
                    .isEqualTo("PK");
        }
        assertThat(Files.readString(log))
                .contains("demo: report ready")
                .contains("/api/v1/report-runs/" + id + "/file");
    }

    /** The demo's SMTP server received the customers' mails (invoice issued first), listed at the printed URL. */
    private static void theMailsSentAreShownOnTheDemosMailPage(int port, Path log) throws Exception {
        assertThat(Files.readString(log)).contains("demo: mails received: http://localhost:" + port + "/demo/mail");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String page = get(port, "/demo/mail", null);
        while (!page.contains("class=\"mail\"") && System.nanoTime() < deadline) {
            Thread.sleep(500);
            page = get(port, "/demo/mail", null);
        }
        assertThat(page).contains("class=\"mail\"").contains("ivan@example.ru").contains("Счёт DEMO-");
    }

    /**
     * The demo started its own Elasticsearch node (in parallel with the rest) and printed a query of the payments
     * index, which finds the demo's payments once the indexer caught up; or, when no node could start here, it said
     * that the index is off and why. Returns the node's port, 0 when off.
     */
    private static int theDemosPaymentsAreFoundByThePrintedSearchQuery(Path log) throws Exception {
        Pattern line = Pattern.compile(
                "demo: search index: (?:curl '(http://127\\.0\\.0\\.1:(\\d+)/kopek-payments/_search\\?size=5&pretty)'|off \\(([^)]*))");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        Matcher said = line.matcher(Files.readString(log));
        boolean saidIt = said.find();
        while (!saidIt && System.nanoTime() < deadline) {
            Thread.sleep(500);
            said = line.matcher(Files.readString(log));
            saidIt = said.find();
        }
        assertThat(saidIt)
                .as("the demo says where its search index is, or that it is off")
                .isTrue();
        if (said.group(1) == null) {
            // the reason runs on over the node's console lines: all of it goes into the message
            String saying = Files.readString(log).substring(said.start());
            assertThat(io.kopek.sandbox.search.SearchEngine.available())
                    .as("the index is off although the distribution is here: "
                            + saying.substring(0, Math.min(saying.length(), 8_000)))
                    .isFalse();
            assertThat(said.group(3)).as("why the index is off").isNotBlank().doesNotContain("KOPEK_SEARCH");
            return 0;
        }
        URI query = URI.create(said.group(1));
        deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String found = search(query);
        while (!found.contains("DEMO-") && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            found = search(query);
        }
        assertThat(found).contains("\"payment_id\"").contains("\"invoice_number\" : \"DEMO-");
        return Integer.parseInt(said.group(2));
    }

    private static String search(URI query) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> answer =
                    client.send(HttpRequest.newBuilder(query).build(), HttpResponse.BodyHandlers.ofString());
            return answer.body();
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The demo's receiver heard of the demo data's events through signed webhooks, listed at the printed URL. */
    private static void theWebhooksSentAreShownOnTheDemosWebhookPage(int port, Path log) throws Exception {
        assertThat(Files.readString(log))
                .contains("demo: webhooks received: http://localhost:" + port + "/demo/webhooks");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String page = get(port, "/demo/webhooks", null);
        while (!page.contains("<b>invoice.issued</b>") && System.nanoTime() < deadline) {
            Thread.sleep(500);
            page = get(port, "/demo/webhooks", null);
        }
        assertThat(page)
                .contains("<b>invoice.issued</b>")
                .contains("signature valid")
                .doesNotContain("INVALID");
    }

    private static String get(int port, String path, String key) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
            if (key != null) {
                request.header("Authorization", "Bearer " + key);
            }
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            return response.body();
        }
    }

    /**
     * The console's users, one per role, made at each start with passwords printed in the log (JSON-escaped here):
     * the admin's opens a session, which lists them.
     */
    private static void theConsoleUsersSignInWithThePasswordsPrinted(int port, Path log) throws Exception {
        Pattern printed = Pattern.compile("(?:\\\\n|\\n)  admin +([A-Za-z0-9_-]{20})");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Matcher m = printed.matcher(Files.readString(log));
        boolean found = m.find();
        while (!found && System.nanoTime() < deadline) {
            Thread.sleep(500);
            m = printed.matcher(Files.readString(log));
            found = m.find();
        }
        assertThat(found).as("the admin's password in the log").isTrue();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> signedIn = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/session"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"login\":\"admin\",\"password\":\"" + m.group(1) + "\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
            String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).startsWith("kopek_session=").doesNotContain("Secure");
            HttpResponse<String> users = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/users"))
                            .header("Cookie", cookie.substring(0, cookie.indexOf(';')))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(users.statusCode()).isEqualTo(200);
            assertThat(users.body()).contains("\"operator\"", "\"accountant\"", "\"finance\"", "\"admin\"");
        }
    }

    private static int embeddedPort(String output) {
        Matcher m = Pattern.compile("started embedded PostgreSQL \\S+ on 127\\.0\\.0\\.1:(\\d+)")
                .matcher(output);
        assertThat(m.find()).as("embedded port in output").isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static boolean accepts(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package io.kopek.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.KopekApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(
        classes = KopekApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "kopek.security.bootstrap-admin-key=" + ApplicationTest.ADMIN_KEY)
class ApplicationTest {

    static final String ADMIN_KEY = "kpk_0123456789ab_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

    /**
     * Where spring.rabbitmq points: no RabbitMQ, a socket that counts who connects to it. The reconciliation's remote
     * partitioning is off, so nobody should.
     */
    static final ServerSocket NO_RABBIT_MQ;

    static final AtomicInteger RABBIT_MQ_CONNECTIONS = new AtomicInteger();

    static {
        try {
            NO_RABBIT_MQ = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().start(() -> {
            while (true) {
                try (Socket accepted = NO_RABBIT_MQ.accept()) {
                    RABBIT_MQ_CONNECTIONS.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    @DynamicPropertySource
    static void noRabbitMq(DynamicPropertyRegistry registry) {
        registry.add("spring.rabbitmq.host", () -> "127.0.0.1");
        registry.add("spring.rabbitmq.port", NO_RABBIT_MQ::getLocalPort);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    org.springframework.context.ApplicationContext context;

    @Test
    void reportsHealthLivenessAndReadinessUp() throws Exception {
        assertThat(get("/actuator/health")).contains("\"status\":\"UP\"");
        assertThat(get("/actuator/health/liveness")).contains("\"status\":\"UP\"");
        assertThat(get("/actuator/health/readiness")).contains("\"status\":\"UP\"");
    }

    @Test
    void showsHealthDetailsToAnAdminOnly() throws Exception {
        assertThat(get("/actuator/health")).doesNotContain("\"db\"").doesNotContain("components");
        assertThat(send("/actuator/health", ADMIN_KEY).body())
                .contains("\"status\":\"UP\"")
                .contains("\"db\"");
    }

    @Test
    void withRemotePartitioningOffRabbitMqIsNeitherConnectedToNorInTheHealth() throws Exception {
        assertThat(send("/actuator/health", ADMIN_KEY).body())
                .contains("\"status\":\"UP\"")
                .doesNotContain("rabbit");
        assertThat(context.getBeansOfType(org.springframework.amqp.core.Queue.class))
                .isEmpty();
        assertThat(RABBIT_MQ_CONNECTIONS)
                .as("connections to RabbitMQ's address")
                .hasValue(0);
    }

    @Test
    void exposesPrometheusMetricsToAnAdminOnly() throws Exception {
        var anonymous = send("/actuator/prometheus", null);
        var admin = send("/actuator/prometheus", ADMIN_KEY);

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(send("/actuator/metrics", null).statusCode()).isEqualTo(401);
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.body()).contains("jvm_memory_used_bytes").contains("hikaricp_connections");
    }

    /**
     * A hold placed and captured on the API's lean path (io.kopek.api.HoldsLeanPath, ahead of the filters and of
     * Spring MVC) answers with the headers Spring Security writes and is timed in the series Spring's observation
     * times the same requests in, when Spring MVC answers them (an Accept the lean path leaves to MVC's content
     * negotiation): one series per endpoint and status, counting both, for a refusal too.
     */
    @Test
    void aHoldOnTheLeanPathIsHeadedAndTimedAsSpringMvcAnswersIt() throws Exception {
        long merchant = post("/api/v1/merchants", """
                {"code":"APPTEST","name":"Application test LLC","inn":"7700000009"}""");
        long product = post("/api/v1/products", """
                {"merchant_id":%d,"sku":"APPTEST","name":"Unit","category":"apptest",\
                "unit_price":{"amount":100,"currency":"RUB"}}""".formatted(merchant));
        post("/api/v1/rules", """
                {"category":"apptest","customer_type":"*","valid_from":"2020-01-01","vat_code":"standard",\
                "payment_methods":["balance"],"hold_first":true,"hold_lifetime_seconds":3600}""");
        long customer = post("/api/v1/customers", """
                {"type":"company","name":"Application test buyer","inn":"7700000001"}""");
        post("/api/v1/customers/" + customer + "/top-ups", """
                {"amount":{"amount":100000,"currency":"RUB"},"reference":"apptest"}""");
        long invoice = post("/api/v1/orders", """
                {"customer_id":%d,"items":[{"product_id":%d,"quantity":10}]}""".formatted(customer, product));
        String hold = """
                {"invoice_id":%d,"amount":{"amount":400,"currency":"RUB"}}""".formatted(invoice);
        String byMvc = "application/json, */*";

        var lean = postAccepting("/api/v1/holds", hold, null);
        var mvc = postAccepting("/api/v1/holds", hold, byMvc);
        long leanHold = idOf(lean.body()), mvcHold = idOf(mvc.body());
        var leanCapture = postAccepting("/api/v1/holds/" + leanHold + "/capture", "{}", null);
        var mvcCapture = postAccepting("/api/v1/holds/" + mvcHold + "/capture", "{}", byMvc);
        var leanRefusal = postAccepting("/api/v1/holds/" + leanHold + "/capture", "{}", null);
        var mvcRefusal = postAccepting("/api/v1/holds/" + mvcHold + "/capture", "{}", byMvc);

        assertThat(List.of(lean, mvc, leanCapture, mvcCapture, leanRefusal, mvcRefusal))
                .extracting(HttpResponse::statusCode)
                .containsExactly(201, 201, 200, 200, 409, 409);
        assertThat(headersOf(lean)).isEqualTo(headersOf(mvc)).containsKey("x-frame-options");
        assertThat(headersOf(leanCapture)).isEqualTo(headersOf(mvcCapture));
        assertThat(headersOf(leanRefusal)).isEqualTo(headersOf(mvcRefusal));
        String metrics = send("/actuator/prometheus", ADMIN_KEY).body();
        assertThat(metrics)
                .as("the lean path's three requests went through the group commit, MVC's did not")
                .containsPattern("kopek_api_group_commit_requests_sum(\\{[^}]*})? 3(\\.0)?\\n");
        assertThat(seriesOf(metrics, "201", "/api/v1/holds")).containsExactly("2");
        assertThat(seriesOf(metrics, "200", "/api/v1/holds/{id}/capture")).containsExactly("2");
        assertThat(seriesOf(metrics, "409", "/api/v1/holds/{id}/capture")).containsExactly("2");
    }

    /** The counts of every {@code http_server_requests} series of a POST with this status and URI. */
    private static List<String> seriesOf(String metrics, String status, String uri) {
        return metrics.lines()
                .filter(l -> l.startsWith("http_server_requests_seconds_count{")
                        && l.contains("method=\"POST\"")
                        && l.contains("status=\"" + status + "\"")
                        && l.contains("uri=\"" + uri + "\""))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1).replace(".0", ""))
                .toList();
    }

    /** An answer's headers but those of the message and the connection (its date, framing and keep-alive). */
    private static Map<String, List<String>> headersOf(HttpResponse<String> response) {
        Map<String, List<String>> headers = new TreeMap<>(response.headers().map());
        headers.keySet().removeAll(Set.of("date", "content-length", "transfer-encoding", "keep-alive", "connection"));
        return headers;
    }

    private static long idOf(String body) {
        var id = java.util.regex.Pattern.compile("\"id\":(\\d+)").matcher(body);
        assertThat(id.find()).as("an id in %s", body).isTrue();
        return Long.parseLong(id.group(1));
    }

    private HttpResponse<String> postAccepting(String path, String json, String accept) throws Exception {
        try (var client = HttpClient.newHttpClient()) {
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Bearer " + ADMIN_KEY)
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", java.util.UUID.randomUUID().toString())
                    .POST(HttpRequest.BodyPublishers.ofString(json));
            if (accept != null) {
                request.header("Accept", accept);
            }
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** Background work runs on virtual threads; requests on Tomcat's pool of platform threads (RequestThreads). */
    @Test
    void runsRequestsOnAPoolOfPlatformThreads() {
        var server = (org.springframework.boot.tomcat.TomcatWebServer)
                ((org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext) context)
                        .getWebServer();
        var executor = server.getTomcat().getConnector().getProtocolHandler().getExecutor();

        assertThat(context.getEnvironment().getProperty("spring.threads.virtual.enabled"))
                .isEqualTo("true");
        assertThat(executor).isInstanceOf(org.apache.tomcat.util.threads.ThreadPoolExecutor.class);
    }

    @Test
    void tellsWhichRolesItPlays() throws Exception {
        assertThat(get("/actuator/info"))
                .contains("\"roles\":[\"API\",\"BATCH\",\"SCHEDULER\"]")
                .contains("Europe/Moscow");
    }

    @Test
    void appliesTheMigrationsToTheKopekSchemaAtStartUp() {
        Integer versions = jdbc.queryForObject(
                "select count(*) from kopek.flyway_schema_history where success and version = '1.1'", Integer.class);
        assertThat(versions).isEqualTo(1);
        assertThat(jdbc.queryForObject("select current_schema()", String.class)).isEqualTo("kopek");
    }

    /** A POST as the admin: must succeed; the id of what it made. */
    private long post(String path, String json) throws Exception {
        try (var client = HttpClient.newHttpClient()) {
            var response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .header("Authorization", "Bearer " + ADMIN_KEY)
                            .header("Content-Type", "application/json")
                            .header(
                                    "Idempotency-Key",
                                    java.util.UUID.randomUUID().toString())
                            .POST(HttpRequest.BodyPublishers.ofString(json))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode())
                    .as("POST %s: %s", path, response.body())
                    .isBetween(200, 201);
            return idOf(response.body());
        }
    }

    private HttpResponse<String> send(String path, String key) throws Exception {
        try (var client = HttpClient.newHttpClient()) {
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
            if (key != null) {
                request.header("Authorization", "Bearer " + key);
            }
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private String get(String path) throws Exception {
        try (var client = HttpClient.newHttpClient()) {
            var response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            return response.body();
        }
    }
}

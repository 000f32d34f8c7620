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
     * A hold placed and captured (answered by the API's lean path, io.kopek.api.HoldsLeanPath, not by Spring MVC's
     * dispatch) is timed under its endpoint's pattern, as every other request.
     */
    @Test
    void timesAHoldAndItsCaptureUnderTheirPatterns() throws Exception {
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

        long hold = post("/api/v1/holds", """
                {"invoice_id":%d,"amount":{"amount":500,"currency":"RUB"}}""".formatted(invoice));
        post("/api/v1/holds/" + hold + "/capture", "{}");

        String metrics = send("/actuator/prometheus", ADMIN_KEY).body();
        assertThat(metrics)
                .containsPattern("http_server_requests_seconds_count\\{[^}]*method=\"POST\"[^}]*status=\"201\""
                        + "[^}]*uri=\"/api/v1/holds\"[^}]*} 1")
                .containsPattern("http_server_requests_seconds_count\\{[^}]*method=\"POST\"[^}]*status=\"200\""
                        + "[^}]*uri=\"/api/v1/holds/\\{id}/capture\"[^}]*} 1");
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
            var id = java.util.regex.Pattern.compile("\"id\":(\\d+)").matcher(response.body());
            assertThat(id.find()).as("an id in %s", response.body()).isTrue();
            return Long.parseLong(id.group(1));
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

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

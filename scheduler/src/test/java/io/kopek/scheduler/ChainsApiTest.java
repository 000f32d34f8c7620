package io.kopek.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.SchedulerTestApplication;
import io.kopek.api.ApiKeys;
import io.kopek.api.ApiRole;
import io.kopek.batch.chain.SettlementChains;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.NewCustomer;
import io.kopek.sandbox.sftp.SftpSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The chains' API over real HTTP, with a provider whose SFTP server (a real one, on loopback) has delivered nothing:
 * its chains run and stop at the import, which is all the API needs to show. Who may do what, and the audit log.
 */
@SpringBootTest(classes = SchedulerTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChainsApiTest {

    static final LocalDate YESTERDAY = LocalDate.now(ZoneId.of("Europe/Moscow")).minusDays(1);
    static final SftpSimulator sftp;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        try {
            Path root = Files.createTempDirectory("chains-api-sftp");
            Files.createDirectories(root.resolve("outbox"));
            sftp = SftpSimulator.serving(root).user("kopek", "secret").start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void server(DynamicPropertyRegistry p) throws IOException {
        Path staging = Files.createTempDirectory("chains-api-staging");
        p.add("kopek.ingest.staging-directory", staging::toString);
        p.add("kopek.ingest.sources.quiet.host", sftp::host);
        p.add("kopek.ingest.sources.quiet.port", sftp::port);
        p.add("kopek.ingest.sources.quiet.user", () -> "kopek");
        p.add("kopek.ingest.sources.quiet.password", () -> "secret");
        p.add("kopek.ingest.sources.quiet.allow-unknown-host-key", () -> "true");
        p.add("kopek.ingest.sources.quiet.remote-directory", () -> "/outbox");
        p.add("kopek.batch.chain.since", () -> YESTERDAY.minusDays(2).toString());
    }

    @AfterAll
    static void stop() {
        sftp.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys keys;

    @Autowired
    AuditLog audit;

    @Autowired
    SettlementChains chains;

    @Autowired
    Customers customers;

    String operator;
    String accountant;
    String customer;

    @BeforeEach
    void keys() {
        operator = keys.issue(ApiRole.OPERATOR, null, "chain operator").key();
        accountant = keys.issue(ApiRole.ACCOUNTANT, null, "chain accountant").key();
        long someone = customers
                .create(new NewCustomer(CustomerType.INDIVIDUAL, "Иван Петров", "buyer@example.ru", null, null))
                .id();
        customer = keys.issue(ApiRole.CUSTOMER, someone, "chain customer").key();
    }

    record Answer(int status, JsonNode body) {}

    Answer get(String key, String path) throws Exception {
        return send(key, HttpRequest.newBuilder(uri(path)).GET());
    }

    Answer post(String key, String path, String json) throws Exception {
        return send(
                key,
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private Answer send(String key, HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = HTTP.send(
                request.header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(
                response.statusCode(),
                response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body()));
    }

    @Test
    void anOperatorStartsADayWithAReasonOnRecordAndFollowsItToTheStepThatFailed() throws Exception {
        LocalDate day = YESTERDAY.minusDays(10);

        Answer started = post(
                operator,
                "/api/v1/chains",
                "{\"provider\":\"quiet\",\"business_date\":\"" + day + "\",\"reason\":\"the registry came late\"}");

        assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
        long id = started.body().path("id").asLong();
        assertThat(started.body().path("provider").asString()).isEqualTo("quiet");
        assertThat(started.body().path("business_date").asString()).isEqualTo(day.toString());
        assertThat(started.body().path("trigger").asString()).isEqualTo("manual");
        assertThat(started.body().path("steps"))
                .extracting(s -> s.path("step").asString())
                .containsExactly("intake", "import", "reconciliation", "reports");
        assertThat(audit.list(0, 20, AuditAction.CHAIN_STARTED, null, null))
                .filteredOn(e -> e.target().equals("quiet/" + day))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.actor()).isEqualTo("key:chain operator");
                    assertThat(e.reason()).isEqualTo("the registry came late");
                    assertThat(e.details()).containsEntry("business_date", day.toString());
                });

        chains.awaitEnd(id, Duration.ofMinutes(1));
        JsonNode chain = get(accountant, "/api/v1/chains/" + id).body();
        assertThat(chain.path("state").asString()).isEqualTo("failed");
        assertThat(chain.path("error").asString()).isEqualTo("import: no registry for " + day + " from quiet");
        assertThat(chain.path("steps"))
                .extracting(s -> s.path("state").asString())
                .containsExactly("completed", "failed", "skipped", "skipped");
        JsonNode page = get(accountant, "/api/v1/chains?provider=quiet&from=" + day + "&to=" + day)
                .body();
        assertThat(page.path("data")).extracting(c -> c.path("id").asLong()).containsExactly(id);
    }

    @Test
    void theMissedDaysArePreviewedInDateOrderAndCaughtUpWithTheReasonOnRecord() throws Exception {
        Answer preview = get(accountant, "/api/v1/chains/missed?provider=quiet");
        assertThat(preview.status()).isEqualTo(200);
        assertThat(preview.body())
                .extracting(m -> m.path("business_date").asString())
                .containsExactly(
                        YESTERDAY.minusDays(2).toString(),
                        YESTERDAY.minusDays(1).toString(),
                        YESTERDAY.toString());
        assertThat(preview.body().get(0).path("steps")).hasSize(4);

        Answer caughtUp =
                post(operator, "/api/v1/chains/catch-up", "{\"provider\":\"quiet\",\"reason\":\"after the outage\"}");

        assertThat(caughtUp.status()).as(caughtUp.body().toString()).isEqualTo(202);
        assertThat(caughtUp.body()).isEqualTo(preview.body());
        assertThat(audit.list(0, 20, AuditAction.CATCH_UP_STARTED, null, null))
                .filteredOn(e -> e.target().equals("quiet"))
                .first()
                .satisfies(e -> {
                    assertThat(e.reason()).isEqualTo("after the outage");
                    assertThat(e.details())
                            .containsEntry("days", "3")
                            .containsEntry("from", YESTERDAY.minusDays(2).toString());
                });
    }

    @Test
    void onlyOperatorsAndAdminsStartChainsAndCustomersSeeNone() throws Exception {
        String body = "{\"provider\":\"quiet\",\"business_date\":\"" + YESTERDAY.minusDays(11) + "\"}";
        assertThat(post(accountant, "/api/v1/chains", body).status()).isEqualTo(403);
        assertThat(post(accountant, "/api/v1/chains/catch-up", "{}").status()).isEqualTo(403);
        assertThat(get(customer, "/api/v1/chains").status()).isEqualTo(403);
        assertThat(get(customer, "/api/v1/chains/missed").status()).isEqualTo(403);
        assertThat(get(accountant, "/api/v1/chains").status()).isEqualTo(200);
        assertThat(post(operator, "/api/v1/chains", "{\"provider\":\"elsewhere\",\"business_date\":\"2026-12-01\"}")
                        .status())
                .isEqualTo(404);
        assertThat(post(operator, "/api/v1/chains", "{\"provider\":\"quiet\"}").status())
                .isEqualTo(400);
    }
}

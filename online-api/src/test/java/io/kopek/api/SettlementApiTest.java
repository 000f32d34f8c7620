package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kopek.batch.chain.Chain;
import io.kopek.batch.chain.SettlementChains;
import io.kopek.customer.CustomerType;
import io.kopek.ingest.SftpIntake;
import io.kopek.pricing.NewBillingRule;
import io.kopek.sandbox.acme.AcmeProcessingSimulator;
import io.kopek.sandbox.registry.Ugliness;
import io.kopek.sandbox.registry.WrittenRegistry;
import io.kopek.sandbox.sftp.SftpSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A provider's day end to end: card payments through Acme processing (the generic processor), Acme's settlement
 * registry dropped on its SFTP server, fetched by the intake with a key login (as its schedule does during the day:
 * imported only), then the day's settlement chain through the {@code registryImport} and {@code reconciliation}
 * jobs to the reports, and read through the API.
 */
@SpringBootTest(
        classes = io.kopek.ApiTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.import=classpath:io/kopek/sandbox/acme/acme-processing.yml",
            // Acme's days are Yekaterinburg days; ours too here, so that a test near midnight sees one day.
            "kopek.business-zone=Asia/Yekaterinburg"
        })
class SettlementApiTest extends ApiTest {

    static final ZoneId ZONE = ZoneId.of("Asia/Yekaterinburg");
    static final AcmeProcessingSimulator acme;
    static final SftpSimulator sftp;
    static final Path outbox;
    static final Path staging;
    static final Path privateKey;

    static {
        try {
            acme = AcmeProcessingSimulator.start(0, "acme-key", "acme-callback-secret");
            Path root = Files.createTempDirectory("acme-sftp");
            outbox = Files.createDirectories(root.resolve("outbox"));
            staging = Files.createTempDirectory("kopek-staging");
            KeyPair keys = SftpSimulator.newKeyPair();
            privateKey = Files.createTempDirectory("kopek-keys").resolve("acme_ed25519");
            SftpSimulator.writePrivateKey(keys, privateKey);
            sftp = SftpSimulator.serving(root)
                    .authorizedKey("kopek", keys.getPublic())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void acmeAndItsServer(DynamicPropertyRegistry p) {
        p.add("kopek.generic-processors.acme.base-url", () -> acme.baseUrl().toString());
        p.add("kopek.ingest.staging-directory", staging::toString);
        p.add("kopek.ingest.sources.acme.host", sftp::host);
        p.add("kopek.ingest.sources.acme.port", sftp::port);
        p.add("kopek.ingest.sources.acme.user", () -> "kopek");
        p.add("kopek.ingest.sources.acme.private-key", privateKey::toString);
        p.add("kopek.ingest.sources.acme.allow-unknown-host-key", () -> "true");
        p.add("kopek.ingest.sources.acme.remote-directory", () -> "/outbox");
    }

    @Autowired
    io.kopek.batch.Jobs jobs;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SftpIntake intake;

    @Autowired
    SettlementChains chains;

    long customer;

    @BeforeEach
    void callbacksHere() {
        acme.callbacksTo(URI.create("http://127.0.0.1:" + port + "/api/v1/callbacks/acme"));
        customer = customer(CustomerType.INDIVIDUAL);
        // Acme takes 1.5 %, as the rule expects.
        pricing.create(new NewBillingRule(
                category,
                "*",
                LocalDate.of(2020, 1, 1),
                null,
                0,
                150,
                0,
                "standard",
                false,
                null,
                List.of("card"),
                List.of("acme"),
                0));
    }

    long paidByCard(long kopecks) {
        long invoice = order(accountant, customer, product(kopecks), 1).id();
        long id = as(ApiRole.CUSTOMER, customer)
                .post("/api/v1/invoices/" + invoice + "/card-payments", "{}")
                .id();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> accountant
                        .get("/api/v1/card-payments/" + id)
                        .body()
                        .path("status")
                        .asString()
                        .equals("succeeded"));
        return invoice;
    }

    /** Acme writes its registry aside and moves it in whole, as a provider's upload completes. */
    static WrittenRegistry deliver(LocalDate day, Set<Ugliness> ugliness) throws IOException {
        Path aside = Files.createTempDirectory("acme-registry");
        WrittenRegistry written = acme.registry().write(day, aside, ugliness).getFirst();
        Files.move(written.path(), outbox.resolve(written.fileName()), StandardCopyOption.ATOMIC_MOVE);
        return written;
    }

    JsonNode awaitRunOf(LocalDate day, int lines) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode runs = accountant
                    .get("/api/v1/reconciliation/runs?provider=acme&from=" + day + "&to=" + day)
                    .body();
            return runs.size() == 1 && runs.get(0).path("registry_lines").asInt() == lines;
        });
        return accountant
                .get("/api/v1/reconciliation/runs?provider=acme&from=" + day + "&to=" + day)
                .body()
                .get(0);
    }

    @Test
    void aTruncatedDeliveryIsQuarantinedAndTheCompleteOneImportedReconciledAndFiledAway() throws IOException {
        paidByCard(1_000_00);
        paidByCard(2_500_00);
        LocalDate today = LocalDate.now(ZONE);

        WrittenRegistry truncated = deliver(today, Set.of(Ugliness.TRUNCATED));
        Path reason = staging.resolve("quarantine").resolve("acme").resolve(truncated.fileName() + ".reason.txt");
        intake.fetchAndImport("acme");

        assertThat(Files.readString(reason)).contains("truncated");
        assertThat(outbox.resolve(truncated.fileName()))
                .as("never deleted from the server")
                .exists();
        assertThat(jdbc.sql("select count(*) from registry_line l join registry_file f on f.id = l.file_id"
                                + " where f.provider = 'acme' and f.status = 'quarantined'")
                        .query(Long.class)
                        .single())
                .isZero();

        assertThat(accountant
                        .get("/api/v1/reconciliation/runs?provider=acme&from=" + today + "&to=" + today)
                        .body())
                .as("a fetch outside the chain imports, and reconciles nothing")
                .isEmpty();

        WrittenRegistry complete = deliver(today, Set.of());
        Chain chain = chains.run("acme", today, Chain.Trigger.MANUAL);
        assertThat(chain.state()).as(chain.error()).isEqualTo(Chain.State.COMPLETED);

        JsonNode run = awaitRunOf(today, 2);
        var results = run.path("summary").path("results");
        assertThat(results.path("matched").path("count").asInt()).isEqualTo(2);
        assertThat(results.path("fee_mismatch").path("count").asInt()).isZero();
        assertThat(outbox.resolve("processed").resolve(complete.fileName())).exists();
        assertThat(outbox.resolve(complete.fileName())).doesNotExist();
        // 1.5 % of 1 000.00 and of 2 500.00: the provider's commissions, posted once.
        assertThat(accountant
                        .get("/api/v1/ledger/accounts/provider:acme:fees:RUB")
                        .body()
                        .path("posted")
                        .path("amount")
                        .asLong())
                .isEqualTo(15_00 + 37_50);
        // the runs' API is the scheduler module's: read through the batch module here
        assertThat(jobs.runs("registryImport", 20))
                .extracting(io.kopek.batch.JobRun::exitCode)
                .contains("QUARANTINED", "COMPLETED");
        assertThat(jobs.runs("reconciliation", 20).getFirst().status()).isEqualTo("COMPLETED");
    }
}

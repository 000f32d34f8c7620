package io.kopek.notification.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kopek.WebhookTestApplication;
import io.kopek.api.ApiKeys;
import io.kopek.api.ApiRole;
import io.kopek.outbox.Outbox;
import io.kopek.sandbox.webhook.WebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Webhooks end to end: events published to the outbox, fanned out by the notifications consumer, delivered by the
 * pump over loopback to the sandbox receiver, which checks every signature with its own code. Each test has its own
 * receiver and endpoint, and looks only at the events it published.
 */
@SpringBootTest(classes = WebhookTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(WebhooksTest.Clocks.class)
class WebhooksTest {

    @TestConfiguration(proxyBeanMethods = false)
    static class Clocks {
        @Bean
        @Primary
        ShiftedClock shiftedClock() {
            return new ShiftedClock();
        }
    }

    private static final AtomicLong PINGS = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys keys;

    @Autowired
    Outbox outbox;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ShiftedClock clock;

    Api admin;
    Api operator;
    WebhookReceiver receiver;

    @BeforeEach
    void setUp() throws Exception {
        admin = new Api(port, keys.issue(ApiRole.ADMIN, null, "webhook admin").key());
        operator = new Api(
                port, keys.issue(ApiRole.OPERATOR, null, "webhook operator").key());
        // No endpoint of another test hears this one's events. The pumps may be recording an earlier test's
        // deliveries meanwhile, so the delete can lose a deadlock to them: it is tried again.
        await().atMost(Duration.ofSeconds(10))
                .ignoreException(PessimisticLockingFailureException.class)
                .until(() -> {
                    jdbc.sql("delete from webhook_endpoint").update();
                    return true;
                });
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    @Test
    void anEventIsDeliveredSignedWithTheEndpointsSecretAndTheDocumentedBody() throws Exception {
        Registered endpoint = register(receiver.url().toString());
        receiver.trust(endpoint.secret());

        String id = ping("hello");

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.timesReceived(id) == 1);
        WebhookReceiver.Received got = receiver.received().getFirst();
        assertThat(got.signatureValid())
                .as("verified by the receiver's own code")
                .isTrue();
        assertThat(got.signatures()).hasSize(1);
        assertThat(got.contentType()).isEqualTo("application/json");
        assertThat(got.userAgent()).startsWith("Kopek-Webhooks/");
        assertThat(Long.parseLong(got.timestamp()))
                .isCloseTo(clock.instant().getEpochSecond(), org.assertj.core.data.Offset.offset(30L));
        JsonNode body = Api.JSON.readTree(got.bodyText());
        assertThat(body.get("id").asString()).isEqualTo(id);
        assertThat(body.get("type").asString()).isEqualTo("test_ping.sent");
        assertThat(body.get("version").asInt()).isEqualTo(1);
        assertThat(Instant.parse(body.get("time").asString()))
                .isBefore(clock.instant().plusSeconds(1));
        assertThat(body.get("payload").get("note").asString()).isEqualTo("hello");
        assertThat(body.has("object")).as("no object for an event about none").isFalse();
        assertThat(opensslVerifies(endpoint.secret(), got))
                .as("the openssl one-liner of docs/webhooks.md")
                .isTrue();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode log = json(operator.get("/api/v1/webhook-endpoints/" + endpoint.id() + "/messages"), 200);
            JsonNode message = log.get("data").get(0);
            assertThat(message.get("event_id").asString()).isEqualTo(id);
            assertThat(message.get("state").asString()).isEqualTo("delivered");
            assertThat(message.get("attempts").get(0).get("status_code").asInt())
                    .isEqualTo(200);
            assertThat(message.get("attempts").get(0).get("response").asString())
                    .isEqualTo("{\"ok\":true}");
        });
    }

    @Test
    void answersOf500AreRetriedUntilDeliveredWithTheSameIdAndEveryAttemptIsLogged() {
        Registered endpoint = register(receiver.url().toString());
        receiver.trust(endpoint.secret()).answerNext(2, 500);

        String id = ping("retry me");

        await().atMost(Duration.ofSeconds(20)).until(() -> state(endpoint, id).equals("delivered"));
        assertThat(receiver.timesReceived(id)).as(receiver::toString).isEqualTo(3);
        assertThat(receiver.received()).allMatch(WebhookReceiver.Received::signatureValid);
        JsonNode attempts = message(endpoint, id).get("attempts");
        assertThat(attempts).hasSize(3);
        assertThat(attempts.get(0).get("status_code").asInt()).isEqualTo(500);
        assertThat(attempts.get(1).get("status_code").asInt()).isEqualTo(500);
        assertThat(attempts.get(2).get("status_code").asInt()).isEqualTo(200);
        assertThat(attempts.get(0).get("latency_ms").asInt()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void nothingIsLostWhileTheReceiverIsDownAndItGetsEverythingWhenItComesBack() throws Exception {
        Registered endpoint = register(receiver.url().toString());
        receiver.trust(endpoint.secret());
        receiver.goDown();

        String id = ping("while down");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !message(endpoint, id).get("attempts").isEmpty());
        assertThat(message(endpoint, id).get("attempts").get(0).get("error").asString())
                .contains("connection refused");

        receiver.comeBack();
        // the tiny schedule may have used up its retries meanwhile; recovery sends the dead letter again
        operator.post(
                "/api/v1/webhook-endpoints/" + endpoint.id() + "/recover",
                "{\"since\":\"" + clock.instant().minusSeconds(600) + "\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.timesReceived(id) >= 1);
        assertThat(receiver.received().getFirst().signatureValid()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> state(endpoint, id).equals("delivered"));
    }

    @Test
    void afterTheLastRetryTheMessageIsDeadAndRecoverySendsItAgainWithTheSameId() {
        Registered endpoint = register(receiver.url().toString());
        receiver.trust(endpoint.secret()).answerNext(100, 503);

        String id = ping("doomed");

        await().atMost(Duration.ofSeconds(20)).until(() -> state(endpoint, id).equals("dead"));
        assertThat(receiver.timesReceived(id))
                .as("the first attempt and two retries")
                .isEqualTo(3);
        JsonNode dead = json(operator.get("/api/v1/webhook-endpoints/" + endpoint.id() + "/messages?state=dead"), 200);
        assertThat(dead.get("data")).hasSize(1);
        assertThat(dead.get("data").get(0).get("last_error").asString()).isEqualTo("HTTP 503");

        receiver.answerNext(0, 200);
        JsonNode recovered = json(
                operator.post(
                        "/api/v1/webhook-endpoints/" + endpoint.id() + "/recover",
                        "{\"since\":\"" + clock.instant().minusSeconds(600) + "\"}"),
                202);
        assertThat(recovered.get("messages").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> state(endpoint, id).equals("delivered"));
        assertThat(receiver.timesReceived(id)).isEqualTo(4);
        assertThat(receiver.distinctIds()).isEqualTo(1);
    }

    @Test
    void aMessageIsResentOnRequestWithTheSameIdAndBody() {
        Registered endpoint = register(receiver.url().toString());
        receiver.trust(endpoint.secret());
        String id = ping("again please");
        await().atMost(Duration.ofSeconds(20)).until(() -> state(endpoint, id).equals("delivered"));

        long messageId = message(endpoint, id).get("id").asLong();
        assertThat(operator.post(
                                "/api/v1/webhook-endpoints/" + endpoint.id() + "/messages/" + messageId + "/resend", "")
                        .status())
                .isEqualTo(202);

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.timesReceived(id) == 2);
        List<WebhookReceiver.Received> both = receiver.received();
        assertThat(both.get(1).bodyText()).isEqualTo(both.get(0).bodyText());
        assertThat(both).allMatch(WebhookReceiver.Received::signatureValid);
    }

    @Test
    void aGoneAnswerDisablesTheEndpointAtOnceAndTellsStaffThroughTheOutbox() {
        Registered endpoint = register(receiver.url().toString());
        receiver.trust(endpoint.secret()).answerNext(1, 410);

        String id = ping("gone");

        await().atMost(Duration.ofSeconds(20))
                .until(() -> !json(admin.get("/api/v1/webhook-endpoints/" + endpoint.id()), 200)
                        .get("enabled")
                        .asBoolean());
        JsonNode disabled = json(admin.get("/api/v1/webhook-endpoints/" + endpoint.id()), 200);
        assertThat(disabled.get("disabled_reason").asString()).isEqualTo("the endpoint answered 410 Gone");
        String payload = jdbc.sql("select payload::text from outbox_event where type = 'webhook_endpoint.disabled'"
                        + " and aggregate_id = ?")
                .param(Long.toString(endpoint.id()))
                .query(String.class)
                .single();
        assertThat(payload)
                .contains("\"endpointId\": " + endpoint.id())
                .contains("\"reason\": \"the endpoint answered 410 Gone\"")
                .contains("\"contactEmail\": \"ops@example.ru\"")
                .doesNotContain("merchantId");

        String later = ping("not sent");
        sleep(Duration.ofSeconds(2));
        assertThat(receiver.timesReceived(id)).isEqualTo(1);
        assertThat(receiver.timesReceived(later))
                .as("a disabled endpoint hears nothing")
                .isZero();
    }

    @Test
    void anEndpointFailingForFiveDaysIsDisabled() {
        Registered endpoint = register(receiver.url().toString());
        receiver.trust(endpoint.secret()).answerNext(1000, 500);

        String first = ping("day one");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> state(endpoint, first).equals("dead"));
        assertThat(json(admin.get("/api/v1/webhook-endpoints/" + endpoint.id()), 200)
                        .get("enabled")
                        .asBoolean())
                .as("failing for a second is no reason")
                .isTrue();

        clock.advance(Duration.ofDays(5).plusMinutes(1));
        ping("day six");

        await().atMost(Duration.ofSeconds(20))
                .until(() -> !json(admin.get("/api/v1/webhook-endpoints/" + endpoint.id()), 200)
                        .get("enabled")
                        .asBoolean());
        assertThat(json(admin.get("/api/v1/webhook-endpoints/" + endpoint.id()), 200)
                        .get("disabled_reason")
                        .asString())
                .startsWith("its deliveries have failed without one success since")
                .contains("(5 days)");
        assertThat(jdbc.sql("select count(*) from outbox_event where type = 'webhook_endpoint.disabled'"
                                + " and aggregate_id = ?")
                        .param(Long.toString(endpoint.id()))
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void duringARotationBothSecretsSignAndAfterTheOverlapOnlyTheNewOne() {
        Registered endpoint = register(receiver.url().toString());
        String old = endpoint.secret();
        JsonNode rotated = json(admin.post("/api/v1/webhook-endpoints/" + endpoint.id() + "/rotate-secret", ""), 200);
        String fresh = rotated.get("secret").asString();
        assertThat(fresh).startsWith("whsec_").isNotEqualTo(old);

        receiver.trust(old);
        String during = ping("overlap");
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.timesReceived(during) == 1);
        WebhookReceiver.Received overlap = receiver.received().getFirst();
        assertThat(overlap.signatures()).hasSize(2);
        assertThat(overlap.signatureValid()).as("the old secret still verifies").isTrue();
        assertThat(verifies(fresh, overlap)).as("the new one too").isTrue();

        clock.advance(Duration.ofHours(24).plusMinutes(1));
        receiver.clear();
        String after = ping("after the overlap");
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.timesReceived(after) >= 1);
        WebhookReceiver.Received late = receiver.received().getFirst();
        assertThat(late.signatures()).hasSize(1);
        assertThat(late.signatureValid())
                .as("the old secret no longer verifies")
                .isFalse();
        assertThat(verifies(fresh, late)).isTrue();
    }

    @Test
    void privateAndMetadataAddressesAreRefusedAtRegistrationAndAtSendTime() {
        for (String url : List.of("http://10.0.0.1/hook", "http://169.254.169.254/latest/meta-data")) {
            Api.Answer refused = admin.post("/api/v1/webhook-endpoints", "{\"url\":\"" + url + "\"}");
            assertThat(refused.status()).as(url).isEqualTo(422);
            assertThat(refused.problemType()).isEqualTo("webhook-url-refused");
            assertThat(refused.body().get("detail").asString()).contains("refused by the SSRF rule");
        }

        // An endpoint whose address turned private after registration (DNS changed): refused before connecting.
        Registered endpoint = register(receiver.url().toString());
        jdbc.sql("update webhook_endpoint set url = 'http://10.0.0.1:9/hook' where endpoint_id = ?")
                .param(endpoint.id())
                .update();
        String id = ping("to a private address");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !message(endpoint, id).get("attempts").isEmpty());
        assertThat(message(endpoint, id).get("attempts").get(0).get("error").asString())
                .isEqualTo("refused by the SSRF rule: 10.0.0.1 resolves to 10.0.0.1, a private address");
        assertThat(message(endpoint, id).get("attempts").get(0).has("status_code")
                        && !message(endpoint, id)
                                .get("attempts")
                                .get(0)
                                .get("status_code")
                                .isNull())
                .isFalse();
    }

    @Test
    void eventsWithOneOrderingKeyArriveInOrderEvenWhenTheFirstIsRetried() {
        Registered endpoint = register(receiver.url().toString());
        receiver.trust(endpoint.secret()).answerNext(2, 500);
        long ping = PINGS.incrementAndGet();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(ping(ping, "step " + i)); // one aggregate: one ordering key
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(i -> receiver.timesReceived(i) >= 1));
        List<String> firstSuccesses = receiver.received().stream()
                .filter(r -> r.status() == 200)
                .map(WebhookReceiver.Received::id)
                .distinct()
                .toList();
        assertThat(firstSuccesses).containsExactlyElementsOf(ids);
        List<String> arrivals =
                receiver.received().stream().map(WebhookReceiver.Received::id).toList();
        assertThat(arrivals.subList(0, 3))
                .as("nothing after the first event is sent while it is retried")
                .containsOnly(ids.getFirst());
    }

    @Test
    void whoMayDoWhatAndTheSecretIsShownOnce() {
        String body = "{\"url\":\"" + receiver.url() + "\",\"event_types\":[\"invoice.paid\"]}";
        assertThat(operator.post("/api/v1/webhook-endpoints", body).status()).isEqualTo(403);

        String key = UUID.randomUUID().toString();
        JsonNode created = json(admin.post("/api/v1/webhook-endpoints", body, key), 201);
        assertThat(created.get("secret").asString()).startsWith("whsec_");
        JsonNode replay = json(admin.post("/api/v1/webhook-endpoints", body, key), 201);
        assertThat(replay.get("id").asLong()).isEqualTo(created.get("id").asLong());
        assertThat(replay.has("secret"))
                .as("a replay answers without the secret")
                .isFalse();

        long id = created.get("id").asLong();
        JsonNode listed = json(operator.get("/api/v1/webhook-endpoints"), 200);
        assertThat(listed.get("data").get(0).get("id").asLong()).isEqualTo(id);
        assertThat(listed.get("data").get(0).has("secret")).isFalse();
        assertThat(operator.post("/api/v1/webhook-endpoints/" + id + "/rotate-secret", "")
                        .status())
                .isEqualTo(403);

        JsonNode changed = json(
                admin.post(
                        "/api/v1/webhook-endpoints/" + id,
                        "{\"event_types\":[\"invoice.paid\",\"invoice.issued\"],\"enabled\":false}"),
                200);
        assertThat(changed.get("event_types").toString()).isEqualTo("[\"invoice.paid\",\"invoice.issued\"]");
        assertThat(changed.get("enabled").asBoolean()).isFalse();
        assertThat(changed.get("disabled_reason").asString()).isEqualTo("disabled by an admin");
        assertThat(admin.post(
                                "/api/v1/webhook-endpoints",
                                "{\"url\":\"" + receiver.url() + "\",\"event_types\":[\"Paid\"]}")
                        .problemType())
                .isEqualTo("invalid-event-type");
        assertThat(admin.post("/api/v1/webhook-endpoints", "{\"url\":\"ftp://example.com/x\"}")
                        .status())
                .isEqualTo(422);
        assertThat(admin.post("/api/v1/webhook-endpoints/" + id + "/delete", "").status())
                .isEqualTo(204);
        assertThat(admin.get("/api/v1/webhook-endpoints/" + id).status()).isEqualTo(404);
    }

    @Test
    void tenThousandEventsAreAllDeliveredAndNoneTwice() {
        Registered endpoint = register(receiver.url().toString());
        receiver.trust(endpoint.secret());
        int events = 10_000;
        long first = PINGS.addAndGet(events + 1) - events;
        for (int batch = 0; batch < events; batch += 1000) {
            int from = batch;
            transactions.executeWithoutResult(s -> {
                for (int i = from; i < from + 1000; i++) {
                    outbox.publish(new TestPing(first + i, "bulk"));
                }
            });
        }

        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> delivered(endpoint) == events);
        assertThat(receiver.requests()).as("no id twice: one request per event").isEqualTo(events);
        assertThat(receiver.distinctIds()).isEqualTo(events);
        assertThat(receiver.received()).allMatch(WebhookReceiver.Received::signatureValid);
    }

    // ---- helpers

    @Test
    void aMerchantsEndpointHearsOnlyItsMerchantsEventsWithTheObjectsStateAndTheInstallationsHearsAll()
            throws Exception {
        long[] first = invoiceOfANewMerchant(12_345);
        long[] second = invoiceOfANewMerchant(54_321);
        try (WebhookReceiver installation = WebhookReceiver.start()) {
            JsonNode created = json(
                    admin.post(
                            "/api/v1/webhook-endpoints",
                            "{\"url\":\"" + receiver.url() + "\",\"merchant_id\":" + first[0]
                                    + ",\"event_types\":[\"invoice.issued\"],\"description\":\"merchant\"}"),
                    201);
            receiver.trust(created.get("secret").asString());
            Registered all = register(installation.url().toString(), "");
            installation.trust(all.secret());

            long firstInvoice = placeInvoice(first);
            long secondInvoice = placeInvoice(second);

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> issuedTo(installation, firstInvoice) && issuedTo(installation, secondInvoice));
            await().atMost(Duration.ofSeconds(10)).until(() -> issuedTo(receiver, firstInvoice));
            assertThat(issuedTo(receiver, secondInvoice))
                    .as("another merchant's invoice")
                    .isFalse();
            assertThat(receiver.received()).allMatch(WebhookReceiver.Received::signatureValid);
            JsonNode body = receiver.received().stream()
                    .map(r -> Api.JSON.readTree(r.bodyText()))
                    .filter(b -> b.get("type").asString().equals("invoice.issued")
                            && b.get("payload").get("invoiceId").asLong() == firstInvoice)
                    .findFirst()
                    .orElseThrow();
            assertThat(body.get("object").get("kind").asString()).isEqualTo("invoice");
            assertThat(body.get("object").get("merchantId").asLong()).isEqualTo(first[0]);
            assertThat(body.get("object").get("total").asLong()).isEqualTo(12_345);
            assertThat(body.get("object").get("currency").asString()).isEqualTo("RUB");
            assertThat(body.get("object").get("status").asString()).isEqualTo("issued");
        }
    }

    @Autowired
    io.kopek.catalog.Catalog catalog;

    @Autowired
    io.kopek.pricing.Pricing pricing;

    @Autowired
    io.kopek.customer.Customers customers;

    @Autowired
    io.kopek.billing.Invoicing invoicing;

    /** A merchant of its own with a product at the price and a customer: {merchant, product, customer}. */
    private long[] invoiceOfANewMerchant(long price) {
        String run = UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        long merchant = catalog.createMerchant("W" + run, "Webhook shop " + run, "7700000009")
                .id();
        String category = "hooked-" + run.toLowerCase();
        pricing.create(new io.kopek.pricing.NewBillingRule(
                category,
                "*",
                java.time.LocalDate.of(2025, 1, 1),
                null,
                0,
                0,
                0,
                "standard",
                false,
                null,
                List.of("balance", "bank_transfer"),
                List.of(),
                0));
        long product = catalog.createProduct(new io.kopek.catalog.NewProduct(
                        merchant, "SKU-" + run, "Service", category, io.kopek.money.Money.rub(price), "piece"))
                .id();
        long customer = customers
                .create(new io.kopek.customer.NewCustomer(
                        io.kopek.customer.CustomerType.INDIVIDUAL, "Buyer " + run, "buyer@example.ru", null, null))
                .id();
        return new long[] {merchant, product, customer};
    }

    private long placeInvoice(long[] shop) {
        return invoicing
                .place(new io.kopek.billing.PlaceOrder(
                        shop[2],
                        null,
                        java.time.LocalDate.now().plusDays(10),
                        List.of(new io.kopek.billing.PlaceOrder.Item(shop[1], java.math.BigDecimal.ONE))))
                .id();
    }

    private static boolean issuedTo(WebhookReceiver receiver, long invoiceId) {
        return receiver.received().stream()
                .map(r -> Api.JSON.readTree(r.bodyText()))
                .anyMatch(b -> b.get("type").asString().equals("invoice.issued")
                        && b.get("payload").get("invoiceId").asLong() == invoiceId);
    }

    record Registered(long id, String secret) {}

    /**
     * An installation-wide endpoint for the tests' pings only: the events that other tests' work publishes meanwhile
     * (an invoice's, a merchant's) would otherwise reach it too and take the answers a test scripted for its own.
     */
    private Registered register(String url) {
        return register(url, ",\"event_types\":[\"test_ping.sent\"]");
    }

    /** An installation-wide endpoint; {@code more} adds fields to the request (empty: every event type). */
    private Registered register(String url, String more) {
        JsonNode created = json(
                admin.post(
                        "/api/v1/webhook-endpoints",
                        "{\"url\":\"" + url + "\",\"description\":\"test\",\"contact_email\":\"ops@example.ru\"" + more
                                + "}"),
                201);
        return new Registered(created.get("id").asLong(), created.get("secret").asString());
    }

    private String ping(String note) {
        return ping(PINGS.incrementAndGet(), note);
    }

    /** Publishes a test event and answers its id (the webhook-id). */
    private String ping(long pingId, String note) {
        UUID before = UUID.randomUUID();
        transactions.executeWithoutResult(s -> outbox.publish(new TestPing(pingId, note)));
        return jdbc.sql(
                        "select event_id::text from outbox_event where aggregate_type = 'test_ping' and aggregate_id = ?"
                                + " and payload ->> 'note' = ? order by id desc limit 1")
                .params(Long.toString(pingId), note)
                .query(String.class)
                .optional()
                .orElseThrow(() -> new AssertionError("no event published " + before));
    }

    private JsonNode message(Registered endpoint, String eventId) {
        JsonNode log = json(operator.get("/api/v1/webhook-endpoints/" + endpoint.id() + "/messages?limit=100"), 200);
        for (JsonNode message : log.get("data")) {
            if (message.get("event_id").asString().equals(eventId)) {
                return message;
            }
        }
        return Api.JSON.createObjectNode().set("attempts", Api.JSON.createArrayNode());
    }

    private String state(Registered endpoint, String eventId) {
        return message(endpoint, eventId).path("state").asString("none");
    }

    private long delivered(Registered endpoint) {
        return jdbc.sql("select count(*) from webhook_message where endpoint_id = ? and state = 'delivered'")
                .param(endpoint.id())
                .query(Long.class)
                .single();
    }

    private static boolean verifies(String secret, WebhookReceiver.Received r) {
        return WebhookReceiver.verify(secret, r.id(), r.timestamp(), r.body(), r.signature());
    }

    /** Runs the one-liner of docs/webhooks.md: openssl computes the signature, compared with the header's. */
    private static boolean opensslVerifies(String secret, WebhookReceiver.Received r) throws Exception {
        Path body = Files.createTempFile("webhook-body", ".json");
        Files.write(body, r.body());
        String script = "printf '%s.%s.' \"$WEBHOOK_ID\" \"$WEBHOOK_TIMESTAMP\" | cat - \"$BODY_FILE\""
                + " | openssl dgst -sha256 -mac HMAC -macopt hexkey:$(printf '%s' \"${SECRET#whsec_}\""
                + " | base64 -d | xxd -p -c 256) -binary | base64";
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true);
        builder.environment().put("WEBHOOK_ID", r.id());
        builder.environment().put("WEBHOOK_TIMESTAMP", r.timestamp());
        builder.environment().put("BODY_FILE", body.toString());
        builder.environment().put("SECRET", secret);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes()).strip();
        process.waitFor();
        Files.delete(body);
        assertThat(out).as("openssl's output").isNotEmpty();
        return r.signatures().contains("v1," + out);
    }

    private static JsonNode json(Api.Answer answer, int status) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        return answer.body();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

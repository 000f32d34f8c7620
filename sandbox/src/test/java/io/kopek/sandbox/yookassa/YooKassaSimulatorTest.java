package io.kopek.sandbox.yookassa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class YooKassaSimulatorTest {

    static final JsonMapper JSON = new JsonMapper();
    final HttpClient http = HttpClient.newHttpClient();
    YooKassaSimulator yookassa;
    HttpServer receiver;
    final List<JsonNode> notifications = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        yookassa = YooKassaSimulator.start(0, "12345", "test_secret");
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            notifications.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        yookassa.notifyTo(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/callbacks/yookassa"));
    }

    @AfterEach
    void stop() {
        yookassa.close();
        receiver.stop(0);
    }

    record Reply(int status, JsonNode body) {}

    Reply call(String method, String path, String body, String key, String secret) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(yookassa.baseUrl().resolve(path))
                .header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(("12345:" + secret).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json");
        if (key != null) {
            request.header("Idempotence-Key", key);
        }
        request.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), JSON.readTree(response.body()));
    }

    Reply post(String path, String body) throws Exception {
        return call("POST", path, body, UUID.randomUUID().toString(), "test_secret");
    }

    Reply get(String path) throws Exception {
        return call("GET", path, null, null, "test_secret");
    }

    String payment(String value, boolean capture) {
        return "{\"amount\":{\"value\":\"" + value + "\",\"currency\":\"RUB\"},\"capture\":" + capture
                + ",\"confirmation\":{\"type\":\"redirect\",\"return_url\":\"https://shop.example/back\"},"
                + "\"description\":\"Invoice DEMO-2026-000001\",\"metadata\":{\"invoice_id\":\"42\"}}";
    }

    String statusOf(String id) throws Exception {
        return get("payments/" + id).body().path("status").asString();
    }

    @Test
    void aOneStagePaymentIsPendingUntilThePayerConfirmsThenSucceedsAndNotifies() throws Exception {
        var created = post("payments", payment("100.00", true));

        assertThat(created.status()).isEqualTo(200);
        assertThat(created.body().path("status").asString()).isEqualTo("pending");
        assertThat(created.body().path("confirmation").path("confirmation_url").asString())
                .startsWith("http://127.0.0.1:");
        assertThat(created.body().path("metadata").path("invoice_id").asString())
                .isEqualTo("42");
        String id = created.body().path("id").asString();
        await().atMost(Duration.ofSeconds(5)).until(() -> statusOf(id).equals("succeeded"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !notifications.isEmpty());
        JsonNode note = notifications.getFirst();
        assertThat(note.path("type").asString()).isEqualTo("notification");
        assertThat(note.path("event").asString()).isEqualTo("payment.succeeded");
        assertThat(note.path("object").path("id").asString()).isEqualTo(id);
        assertThat(note.path("object").path("amount").path("value").asString()).isEqualTo("100.00");
    }

    @Test
    void aHoldIsCapturedInPartAndReportsTheCapturedAmount() throws Exception {
        String id = post("payments", payment("500.00", false)).body().path("id").asString();
        await().atMost(Duration.ofSeconds(5)).until(() -> statusOf(id).equals("waiting_for_capture"));
        assertThat(get("payments/" + id).body().path("expires_at").asString()).isNotEmpty();

        var tooMuch = post("payments/" + id + "/capture", "{\"amount\":{\"value\":\"500.01\",\"currency\":\"RUB\"}}");
        var captured = post("payments/" + id + "/capture", "{\"amount\":{\"value\":\"300.00\",\"currency\":\"RUB\"}}");
        var twice = post("payments/" + id + "/capture", "{}");

        assertThat(tooMuch.status()).isEqualTo(400);
        assertThat(tooMuch.body().path("code").asString()).isEqualTo("invalid_request");
        assertThat(captured.body().path("status").asString()).isEqualTo("succeeded");
        assertThat(captured.body().path("amount").path("value").asString()).isEqualTo("300.00");
        assertThat(twice.status()).isEqualTo(400);
    }

    @Test
    void aHoldIsCancelledByTheMerchantOrWhenItExpires() throws Exception {
        String cancelled =
                post("payments", payment("10.00", false)).body().path("id").asString();
        String lapsed =
                post("payments", payment("20.00", false)).body().path("id").asString();
        await().atMost(Duration.ofSeconds(5)).until(() -> statusOf(lapsed).equals("waiting_for_capture"));
        await().atMost(Duration.ofSeconds(5)).until(() -> statusOf(cancelled).equals("waiting_for_capture"));

        var cancel = post("payments/" + cancelled + "/cancel", "{}");
        yookassa.expireHold(lapsed);

        assertThat(cancel.body().path("cancellation_details").path("reason").asString())
                .isEqualTo("canceled_by_merchant");
        var expired = get("payments/" + lapsed).body();
        assertThat(expired.path("status").asString()).isEqualTo("canceled");
        assertThat(expired.path("cancellation_details").path("reason").asString())
                .isEqualTo("expired_on_capture");
        assertThat(post("payments/" + lapsed + "/capture", "{}").status()).isEqualTo(400);
    }

    @Test
    void refundsTakeBackAtMostWhatWasPaid() throws Exception {
        String id = post("payments", payment("100.00", true)).body().path("id").asString();
        await().atMost(Duration.ofSeconds(5)).until(() -> statusOf(id).equals("succeeded"));

        var refund = post(
                "refunds", "{\"payment_id\":\"" + id + "\",\"amount\":{\"value\":\"60.00\",\"currency\":\"RUB\"}}");
        var tooMuch = post(
                "refunds", "{\"payment_id\":\"" + id + "\",\"amount\":{\"value\":\"40.01\",\"currency\":\"RUB\"}}");

        assertThat(refund.body().path("status").asString()).isEqualTo("succeeded");
        assertThat(tooMuch.status()).isEqualTo(400);
        assertThat(get("payments/" + id)
                        .body()
                        .path("refunded_amount")
                        .path("value")
                        .asString())
                .isEqualTo("60.00");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> notifications.stream()
                        .anyMatch(n -> n.path("event").asString().equals("refund.succeeded")));
    }

    @Test
    void aRepeatedKeyReplaysTheFirstAnswerAndAnotherBodyIsRefused() throws Exception {
        String key = UUID.randomUUID().toString();
        var first = call("POST", "payments", payment("100.00", true), key, "test_secret");
        var again = call("POST", "payments", payment("100.00", true), key, "test_secret");
        var other = call("POST", "payments", payment("200.00", true), key, "test_secret");
        var noKey = call("POST", "payments", payment("100.00", true), null, "test_secret");

        assertThat(again.body().path("id").asString())
                .isEqualTo(first.body().path("id").asString());
        assertThat(yookassa.paymentsCreated()).isEqualTo(1);
        assertThat(other.status()).isEqualTo(400);
        assertThat(noKey.status()).isEqualTo(400);
        assertThat(noKey.body().path("parameter").asString()).isEqualTo("Idempotence-Key");
    }

    @Test
    void wrongCredentialsAndBadAmountsAreRefusedTheYooKassaWay() throws Exception {
        var unauthorised = call("POST", "payments", payment("1.00", true), "k", "wrong");
        var badAmount = post("payments", payment("1.005", true));

        assertThat(unauthorised.status()).isEqualTo(401);
        assertThat(unauthorised.body().path("code").asString()).isEqualTo("invalid_credentials");
        assertThat(badAmount.status()).isEqualTo(400);
        assertThat(badAmount.body().path("parameter").asString()).isEqualTo("amount.value");
        assertThat(badAmount.body().path("type").asString()).isEqualTo("error");
    }

    @Test
    void theScriptMakesItFailDeclineAndRepeatNotifications() throws Exception {
        yookassa.script().failNext(1).declineNext(1, "insufficient_funds").notificationCopies(3);

        var failed = post("payments", payment("1.00", true));
        String declined =
                post("payments", payment("1.00", true)).body().path("id").asString();

        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.body().path("code").asString()).isEqualTo("internal_server_error");
        await().atMost(Duration.ofSeconds(5)).until(() -> statusOf(declined).equals("canceled"));
        assertThat(get("payments/" + declined)
                        .body()
                        .path("cancellation_details")
                        .path("reason")
                        .asString())
                .isEqualTo("insufficient_funds");
        await().atMost(Duration.ofSeconds(5)).until(() -> notifications.size() == 3);
        assertThat(notifications)
                .allSatisfy(n -> assertThat(n.path("event").asString()).isEqualTo("payment.canceled"));
    }
}

package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.customer.CustomerType;
import io.kopek.pricing.NewBillingRule;
import io.kopek.sandbox.acme.AcmeProcessingSimulator;
import io.kopek.sandbox.sber.SberChecksum;
import io.kopek.sandbox.sber.SberSimulator;
import io.kopek.sandbox.yookassa.YooKassaSimulator;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The edge of the API against what anyone on the internet can send: oversized bodies to the callbacks and the
 * API, callbacks from the wrong address, malformed payment ids, floods of fake callbacks. The providers are the
 * real modules, configured against their simulators.
 */
@SpringBootTest(
        classes = io.kopek.ApiTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.import=classpath:io/kopek/sandbox/acme/acme-processing.yml")
class CallbackEdgeApiTest extends ApiTest {

    static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final long HUNDRED_MIB = 100L * 1024 * 1024;
    static final ProviderSimulators simulators = ProviderSimulators.start();
    static final YooKassaSimulator yookassa = simulators.yookassa();
    static final SberSimulator sber = simulators.sber();
    static final AcmeProcessingSimulator acme = simulators.acme();

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry p) {
        simulators.register(p, Duration.ofMinutes(1));
    }

    String adminKey;

    @BeforeEach
    void anAdminKey() {
        adminKey = keys.issue(ApiRole.ADMIN, null, "edge test admin").key();
    }

    // --- request bodies ----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} {1}, chunked: {2}")
    @CsvSource({
        "/api/v1/callbacks/yookassa, application/json, false",
        "/api/v1/callbacks/yookassa, application/json, true",
        "/api/v1/callbacks/sber, application/x-www-form-urlencoded, false",
        "/api/v1/callbacks/sber, application/x-www-form-urlencoded, true",
        "/api/v1/callbacks/acme, application/json, false",
        "/api/v1/callbacks/acme, application/json, true",
        "/api/v1/orders, application/json, false",
        "/api/v1/orders, application/json, true",
    })
    void aHundredMebibyteBodyIsRefusedAtOnceWithoutBeingRead(String path, String contentType, boolean chunked) {
        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType
                + "\r\nAuthorization: Bearer " + adminKey + "\r\nIdempotency-Key: big-" + System.nanoTime()
                + (chunked ? "\r\nTransfer-Encoding: chunked" : "\r\nContent-Length: " + HUNDRED_MIB);
        long allocatedBefore = allocated();
        long start = System.nanoTime();

        var answer = RawHttp.stream(port, head, HUNDRED_MIB, chunked);

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        long allocated = allocated() - allocatedBefore;
        assertThat(answer.status()).as(answer.body()).isEqualTo(413);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body()).contains("request-too-large");
        assertThat(answer.bodyBytesSent())
                .as("the body was not read to its end")
                .isLessThan(HUNDRED_MIB / 4);
        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(allocated).as("bytes allocated while it was refused").isLessThan(32L * 1024 * 1024);
        assertThat(admin.get("/api/v1/invoices").status())
                .as("the next request")
                .isEqualTo(200);
    }

    // --- who may call -----------------------------------------------------------------------------------------

    @Test
    void aYooKassaNotificationFromOutsideItsNetworksIsRefusedBeforeItsBodyIsRead() throws Exception {
        // 127.0.0.2 is loopback too, but not on the allow-list (127.0.0.1/32). The body is announced and never
        // sent: a server that waited for it would not answer at all.
        String head = "POST /api/v1/callbacks/yookassa HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: 4000";

        var answer = RawHttp.stream(InetAddress.getByName("127.0.0.2"), port, head, 0, false);

        assertThat(answer.status()).as(answer.body()).isEqualTo(403);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body()).contains("callback-sender-not-allowed");
    }

    // --- the circuit breaker --------------------------------------------------------------------------------------

    @Test
    void fakeCallbacksWhileAProviderFailsDoNotTakeItOutOfRoutingForRealPayments() throws Exception {
        // Two unknown outcomes in a window of two would open YooKassa's breaker (for a minute, in this test).
        yookassa.script().failNext(4);
        for (int i = 0; i < 4; i++) {
            var fake = HTTP.send(
                    callbackNaming("yookassa", UUID.randomUUID().toString()), HttpResponse.BodyHandlers.ofString());
            assertThat(fake.statusCode()).as(fake.body()).isEqualTo(503);
        }
        pricing.create(new NewBillingRule(
                category,
                "*",
                LocalDate.of(2020, 1, 1),
                null,
                0,
                250,
                0,
                "standard",
                false,
                3600,
                List.of("card"),
                List.of("yookassa", "sber"),
                0));
        long customer = customer(CustomerType.INDIVIDUAL);
        long invoice = order(accountant, customer, product(100_00), 1).id();

        var started = as(ApiRole.CUSTOMER, customer).post("/api/v1/invoices/" + invoice + "/card-payments", "{}");

        assertThat(started.status()).as(started.toString()).isEqualTo(201);
        assertThat(started.body().path("provider").asString()).isEqualTo("yookassa");
    }

    @AfterEach
    void wellBehavedProviders() {
        yookassa.script().reset();
        sber.script().reset();
        acme.script().reset();
    }

    // --- what an error tells ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"yookassa", "sber", "acme"})
    void aProviderThatDoesNotAnswerIsA503ThatNamesNoAddressAndNoException(String provider) throws Exception {
        script(provider).actThenHangNext(1, Duration.ofSeconds(3)); // past the 1 s request timeout
        String id = provider.equals("acme")
                ? "acme_0123456789abcdef"
                : UUID.randomUUID().toString();

        var answer = HTTP.send(callbackNaming(provider, id), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        var problem = new tools.jackson.databind.json.JsonMapper().readTree(answer.body());
        assertThat(problem.path("type").asString()).endsWith("/provider-unavailable");
        assertThat(problem.path("detail").asString())
                .contains(provider)
                .doesNotContain("http://", "https://", "127.0.0.1", "Exception", "java.", "payments/", ".do");
    }

    static io.kopek.sandbox.Script script(String provider) {
        return switch (provider) {
            case "yookassa" -> yookassa.script();
            case "sber" -> sber.script();
            case "acme" -> acme.script();
            default -> throw new IllegalArgumentException(provider);
        };
    }

    // --- payment ids ------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "yookassa, ../../v3/refunds",
        "yookassa, http://127.0.0.1:9/steal",
        "yookassa, 23d93cac-000f-5000-8000-126628f15141/cancel",
        "yookassa, not-a-uuid",
        "sber, ../deposit.do",
        "sber, 1 or 1=1",
        "sber, 2a1c7f7e-9d7a-4f5b-8a5e",
        "acme, ../../payments",
        "acme, http://127.0.0.1:9/steal",
        "acme, a/b",
        "acme, a b",
    })
    void aCallbackNamingAMalformedPaymentIdIsABadRequestThatAsksTheProviderNothing(String provider, String id)
            throws Exception {
        int before = requestsReceived(provider);

        HttpResponse<String> answer = HTTP.send(callbackNaming(provider, id), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(answer.body()).contains("malformed-callback");
        assertThat(requestsReceived(provider)).as("requests to " + provider).isEqualTo(before);
    }

    /** A callback as the provider would send it, correctly signed where the provider signs, naming {@code id}. */
    HttpRequest callbackNaming(String provider, String id) throws Exception {
        String url = "http://127.0.0.1:" + port + "/api/v1/callbacks/" + provider;
        return switch (provider) {
            case "yookassa" ->
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"type\":\"notification\",\"event\":\"payment.succeeded\",\"object\":{\"id\":\"" + id
                                        + "\",\"status\":\"succeeded\"}}"))
                        .build();
            case "sber" -> {
                Map<String, String> params = new TreeMap<>(
                        Map.of("mdOrder", id, "orderNumber", "K-1", "operation", "deposited", "status", "1"));
                params.put("checksum", SberChecksum.of(params, "sber-callback-key"));
                String query = params.entrySet().stream()
                        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&"));
                yield HttpRequest.newBuilder(URI.create(url + "?" + query))
                        .GET()
                        .build();
            }
            case "acme" -> {
                String body = "{\"event\":\"payment.succeeded\",\"event_id\":\"ev-" + System.nanoTime()
                        + "\",\"payment_id\":\"" + id + "\"}";
                yield HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .header("X-Signature", hmacSha256Hex(body, "acme-callback-secret"))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
            }
            default -> throw new IllegalArgumentException(provider);
        };
    }

    static int requestsReceived(String provider) {
        return switch (provider) {
            case "yookassa" -> yookassa.requestsReceived();
            case "sber" -> sber.requestsReceived();
            case "acme" -> acme.requestsReceived();
            default -> throw new IllegalArgumentException(provider);
        };
    }

    static String hmacSha256Hex(String body, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Bytes allocated on the heap by every thread so far (virtual threads count on their carriers). */
    static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
    }
}

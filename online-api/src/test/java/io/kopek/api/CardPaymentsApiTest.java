package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kopek.customer.CustomerType;
import io.kopek.pricing.NewBillingRule;
import io.kopek.sandbox.Script;
import io.kopek.sandbox.acme.AcmeProcessingSimulator;
import io.kopek.sandbox.sber.SberChecksum;
import io.kopek.sandbox.sber.SberSimulator;
import io.kopek.sandbox.yookassa.YooKassaSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Card payments end to end: the API, the real provider modules (YooKassa, Sber, and Acme through the generic
 * processor configured from YAML), and their simulators over loopback HTTP, callbacks included.
 */
@SpringBootTest(
        classes = io.kopek.ApiTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.import=classpath:io/kopek/sandbox/acme/acme-processing.yml")
class CardPaymentsApiTest extends ApiTest {

    static final String SBER_KEY = "sber-callback-key";
    static final YooKassaSimulator yookassa;
    static final SberSimulator sber;
    static final AcmeProcessingSimulator acme;

    static {
        try {
            yookassa = YooKassaSimulator.start(0, "shop-1", "yookassa-secret");
            sber = SberSimulator.start(0, "kopek-api", "sber-password", SBER_KEY);
            acme = AcmeProcessingSimulator.start(0, "acme-key", "acme-callback-secret");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry p) {
        p.add("kopek.providers.yookassa.enabled", () -> "true");
        p.add("kopek.providers.yookassa.base-url", () -> yookassa.baseUrl().toString());
        p.add("kopek.providers.yookassa.shop-id", () -> "shop-1");
        p.add("kopek.providers.yookassa.secret-key", () -> "yookassa-secret");
        p.add("kopek.providers.yookassa.notification-addresses", () -> "127.0.0.1/32");
        p.add("kopek.providers.yookassa.request-timeout", () -> "1s");
        p.add("kopek.providers.sber.enabled", () -> "true");
        p.add("kopek.providers.sber.base-url", () -> sber.baseUrl().toString());
        p.add("kopek.providers.sber.user-name", () -> "kopek-api");
        p.add("kopek.providers.sber.password", () -> "sber-password");
        p.add("kopek.providers.sber.callback-key", () -> SBER_KEY);
        p.add("kopek.providers.sber.request-timeout", () -> "1s");
        p.add("kopek.generic-processors.acme.base-url", () -> acme.baseUrl().toString());
        p.add("kopek.generic-processors.acme.request-timeout", () -> "1s");
        p.add("kopek.card-payments.breaker.window", () -> "2");
        p.add("kopek.card-payments.breaker.failure-rate-threshold", () -> "100");
        p.add("kopek.card-payments.breaker.minimum-calls", () -> "2");
        p.add("kopek.card-payments.breaker.wait-in-open", () -> "300ms");
    }

    @Autowired
    JdbcClient jdbc;

    long customer;

    @BeforeEach
    void callbacksToThisApp() {
        for (String provider : List.of("yookassa", "sber", "acme")) {
            callbacksTo(provider, URI.create("http://127.0.0.1:" + port + "/api/v1/callbacks/" + provider));
        }
        customer = customer(CustomerType.INDIVIDUAL);
    }

    /** What the tests ask of each provider's simulator. */
    record Simulated(
            Script script,
            java.util.function.Consumer<URI> callbacksTo,
            java.util.function.ToLongFunction<String> paymentsFor,
            java.util.function.IntSupplier delivered) {}

    static final Map<String, Simulated> SIMULATED = Map.of(
            "yookassa",
                    new Simulated(
                            yookassa.script(),
                            yookassa::notifyTo,
                            yookassa::paymentsFor,
                            yookassa::notificationsDelivered),
            "sber", new Simulated(sber.script(), sber::callbacksTo, sber::paymentsFor, sber::callbacksDelivered),
            "acme", new Simulated(acme.script(), acme::callbacksTo, acme::paymentsFor, acme::callbacksDelivered));

    static void callbacksTo(String provider, URI url) {
        SIMULATED.get(provider).callbacksTo().accept(url);
    }

    @AfterEach
    void wellBehavedProviders() {
        SIMULATED.values().forEach(s -> s.script().reset());
        clock.set(java.time.Instant.now());
    }

    // --- per provider ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"yookassa", "sber", "acme"})
    void aOneStageCardPaymentPaysTheInvoice(String provider) {
        long invoice = invoice(provider, false, 1_200_00);

        var started = start(invoice, null);

        assertThat(started.status()).isEqualTo(201);
        assertThat(started.body().path("provider").asString()).isEqualTo(provider);
        assertThat(started.body().path("two_stage").asBoolean()).isFalse();
        long id = started.id();
        awaitStatus(id, "succeeded");
        var invoiceNow = accountant.get("/api/v1/invoices/" + invoice);
        assertThat(invoiceNow.body().path("status").asString()).isEqualTo("paid");
        var payments =
                accountant.get("/api/v1/invoices/" + invoice + "/payments").body();
        assertThat(payments).hasSize(1);
        assertThat(payments.get(0).path("method").asString()).isEqualTo("card");
        assertThat(payments.get(0).path("provider").asString()).isEqualTo(provider);
        assertThat(clearing(provider, invoice)).isEqualTo(1_200_00);
        assertLedgerBalances();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yookassa", "sber", "acme"})
    void aCardHoldIsCapturedInPartAndTheRestReleased(String provider) {
        long invoice = invoice(provider, true, 500_00);
        long id = start(invoice, null).id();
        var authorized = awaitStatus(id, "authorized");
        long hold = authorized.path("hold_id").asLong();
        assertThat(accountant.get("/api/v1/holds/" + hold).body().path("source").asString())
                .isEqualTo("card");
        assertThat(accountant.get("/api/v1/invoices/" + invoice).amount("outstanding"))
                .isZero();

        var captured = accountant.post(
                "/api/v1/card-payments/" + id + "/capture", "{\"amount\":" + ApiClient.money(300_00) + "}");

        assertThat(captured.status()).isEqualTo(200);
        assertThat(captured.body().path("status").asString()).isEqualTo("succeeded");
        assertThat(captured.amount("captured")).isEqualTo(300_00);
        var h = accountant.get("/api/v1/holds/" + hold).body();
        assertThat(h.path("status").asString()).isEqualTo("captured");
        assertThat(h.path("captured").path("amount").asLong()).isEqualTo(300_00);
        var invoiceNow = accountant.get("/api/v1/invoices/" + invoice);
        assertThat(invoiceNow.body().path("status").asString()).isEqualTo("partially_paid");
        assertThat(invoiceNow.amount("outstanding")).isEqualTo(200_00);
        assertThat(clearing(provider, invoice)).isEqualTo(300_00);
        assertLedgerBalances();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yookassa", "sber", "acme"})
    void aCardHoldIsVoided(String provider) {
        long invoice = invoice(provider, true, 500_00);
        long id = start(invoice, null).id();
        long hold = awaitStatus(id, "authorized").path("hold_id").asLong();

        var cancelled = as(ApiRole.CUSTOMER, customer).post("/api/v1/card-payments/" + id + "/cancel", "{}");

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().path("status").asString()).isEqualTo("canceled");
        assertThat(accountant.get("/api/v1/holds/" + hold).body().path("status").asString())
                .isEqualTo("released");
        var invoiceNow = accountant.get("/api/v1/invoices/" + invoice);
        assertThat(invoiceNow.body().path("status").asString()).isEqualTo("issued");
        assertThat(invoiceNow.amount("outstanding")).isEqualTo(500_00);
        assertThat(clearing(provider, invoice)).isZero();
        assertLedgerBalances();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yookassa", "sber", "acme"})
    void aCardPaymentIsRefundedInPartThenInFull(String provider) {
        long invoice = invoice(provider, false, 1_000_00);
        long id = start(invoice, null).id();
        awaitStatus(id, "succeeded");

        var part = accountant.post(
                "/api/v1/card-payments/" + id + "/refunds",
                "{\"amount\":" + ApiClient.money(400_00) + ",\"reason\":\"one item returned\"}");
        assertThat(part.status()).isEqualTo(201);
        assertThat(part.body().path("status").asString()).isEqualTo("succeeded");
        assertThat(accountant
                        .get("/api/v1/invoices/" + invoice)
                        .body()
                        .path("status")
                        .asString())
                .isEqualTo("partially_refunded");

        var rest = accountant.post(
                "/api/v1/card-payments/" + id + "/refunds", "{\"amount\":" + ApiClient.money(600_00) + "}");
        assertThat(rest.status()).isEqualTo(201);

        var invoiceNow = accountant.get("/api/v1/invoices/" + invoice).body();
        assertThat(invoiceNow.path("status").asString()).isEqualTo("refunded");
        assertThat(accountant.get("/api/v1/card-payments/" + id + "/refunds").body())
                .hasSize(2);
        assertThat(clearing(provider, invoice)).isZero();
        assertLedgerBalances();
    }

    @Test
    void aCardPaymentCannotBeRefundedAsIfPaidFromTheBalance() {
        long invoice = invoice("yookassa", false, 100_00);
        awaitStatus(start(invoice, null).id(), "succeeded");

        var refund = accountant.post(
                "/api/v1/invoices/" + invoice + "/refunds", "{\"amount\":" + ApiClient.money(100_00) + "}");

        assertThat(refund.status()).isEqualTo(409);
        assertThat(refund.problemType()).isEqualTo("card-refund-through-provider");
    }

    @Test
    void aCardHoldCannotBeCapturedOrReleasedAsIfItWereOnTheBalance() {
        long invoice = invoice("yookassa", true, 500_00);
        long id = start(invoice, null).id();
        long hold = awaitStatus(id, "authorized").path("hold_id").asLong();

        var capture = accountant.post("/api/v1/holds/" + hold + "/capture", "{}");
        var release = accountant.post("/api/v1/holds/" + hold + "/release", "{}");

        assertThat(capture.status()).isEqualTo(409);
        assertThat(capture.problemType()).isEqualTo("card-hold-through-provider");
        assertThat(release.status()).isEqualTo(409);
        assertThat(release.problemType()).isEqualTo("card-hold-through-provider");
        assertThat(accountant.get("/api/v1/holds/" + hold).body().path("status").asString())
                .isEqualTo("active");
        assertThat(accountant
                        .get("/api/v1/invoices/" + invoice)
                        .body()
                        .path("status")
                        .asString())
                .isEqualTo("issued");
        assertThat(accountant
                        .get("/api/v1/card-payments/" + id)
                        .body()
                        .path("status")
                        .asString())
                .isEqualTo("authorized");
    }

    // --- callbacks ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"yookassa", "sber", "acme"})
    void theSameCallbackDeliveredTwentyTimesAtOnceCreditsOnce(String provider) {
        script(provider).notificationCopies(20);
        long invoice = invoice(provider, false, 700_00);

        long id = start(invoice, null).id();

        awaitStatus(id, "succeeded");
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered(provider) >= 20);
        assertThat(accountant.get("/api/v1/invoices/" + invoice + "/payments").body())
                .hasSize(1);
        assertThat(accountant.get("/api/v1/invoices/" + invoice).amount("paid")).isEqualTo(700_00);
        assertThat(clearing(provider, invoice)).isEqualTo(700_00);
        assertLedgerBalances();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yookassa", "sber", "acme"})
    void aCallbackThatOvertakesTheCreateAnswerIsApplied(String provider) {
        // The provider acts, calls back at once, and answers the create only later.
        script(provider).actThenHangNext(1, Duration.ofMillis(700));
        long invoice = invoice(provider, false, 300_00);

        var started = start(invoice, null);

        long id = started.id();
        awaitStatus(id, "succeeded");
        assertThat(accountant
                        .get("/api/v1/invoices/" + invoice)
                        .body()
                        .path("status")
                        .asString())
                .isEqualTo("paid");
        assertThat(paymentsFor(provider, started.body().path("order_number").asString()))
                .isEqualTo(1);
    }

    @Test
    void sberCallbacksInReverseOrderEndInTheRightState() {
        long invoice = invoice("sber", true, 800_00);
        long id = start(invoice, null).id();
        String order = awaitStatus(id, "authorized").path("provider_payment_id").asString();
        String orderNumber = accountant
                .get("/api/v1/card-payments/" + id)
                .body()
                .path("order_number")
                .asString();
        var captured = accountant.post("/api/v1/card-payments/" + id + "/capture", "{}");
        assertThat(captured.body().path("status").asString()).isEqualTo("succeeded");

        // Sber's callbacks for this payment, delivered again late and the wrong way round.
        assertThat(sberCallback(order, orderNumber, "deposited", sign(order, orderNumber, "deposited")))
                .isEqualTo(200);
        assertThat(sberCallback(order, orderNumber, "approved", sign(order, orderNumber, "approved")))
                .isEqualTo(200);

        var now = accountant.get("/api/v1/card-payments/" + id).body();
        assertThat(now.path("status").asString()).isEqualTo("succeeded");
        assertThat(accountant
                        .get("/api/v1/invoices/" + invoice)
                        .body()
                        .path("status")
                        .asString())
                .isEqualTo("paid");
        assertThat(accountant.get("/api/v1/invoices/" + invoice + "/payments").body())
                .hasSize(1);
    }

    @Test
    void aForgedSberChecksumIsRejectedAndChangesNothing() {
        sber.script().payerConfirms(false);
        long invoice = invoice("sber", false, 900_00);
        long id = start(invoice, null).id();
        var pending = accountant.get("/api/v1/card-payments/" + id).body();
        assertThat(pending.path("status").asString()).isEqualTo("pending");
        String order = pending.path("provider_payment_id").asString();
        String orderNumber = pending.path("order_number").asString();

        int forged = sberCallback(order, orderNumber, "deposited", "00DEADBEEF");
        int unsigned = sberCallback(order, orderNumber, "deposited", null);

        assertThat(forged).isEqualTo(401);
        assertThat(unsigned).isEqualTo(401);
        assertThat(accountant
                        .get("/api/v1/card-payments/" + id)
                        .body()
                        .path("status")
                        .asString())
                .isEqualTo("pending");
        assertThat(accountant
                        .get("/api/v1/invoices/" + invoice)
                        .body()
                        .path("status")
                        .asString())
                .isEqualTo("issued");
    }

    @Test
    void aYooKassaNotificationFromOutsideTheAllowListIsRejectedAndChangesNothing() throws Exception {
        yookassa.script().payerConfirms(false);
        long invoice = invoice("yookassa", false, 900_00);
        long id = start(invoice, null).id();
        String payment = accountant
                .get("/api/v1/card-payments/" + id)
                .body()
                .path("provider_payment_id")
                .asString();
        callbacksTo("yookassa", URI.create("http://127.0.0.1:9/nobody-listens"));
        yookassa.confirmByPayer(payment); // YooKassa now has it paid, and only a genuine notification may tell us
        String notification = "{\"type\":\"notification\",\"event\":\"payment.succeeded\",\"object\":{\"id\":\""
                + payment + "\",\"status\":\"succeeded\"}}";

        // 127.0.0.2 is loopback too, but not on the allow-list (127.0.0.1/32).
        HttpClient outsider = HttpClient.newBuilder()
                .localAddress(InetAddress.getByName("127.0.0.2"))
                .build();
        var answer = outsider.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/callbacks/yookassa"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(notification))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).contains("callback-rejected");
        assertThat(accountant
                        .get("/api/v1/card-payments/" + id)
                        .body()
                        .path("status")
                        .asString())
                .isEqualTo("pending");
        assertThat(accountant
                        .get("/api/v1/invoices/" + invoice)
                        .body()
                        .path("status")
                        .asString())
                .isEqualTo("issued");
    }

    @Test
    void anInvoiceWithACardPaymentUnderWayIsNotCancelled() {
        yookassa.script().payerConfirms(false);
        long invoice = invoice("yookassa", false, 600_00);
        long id = start(invoice, null).id();

        var cancel = accountant.post("/api/v1/invoices/" + invoice + "/cancel", "{}");

        assertThat(cancel.status()).isEqualTo(409);
        assertThat(cancel.problemType()).isEqualTo("card-payments-in-flight");
        yookassa.confirmByPayer(providerPaymentId(id)); // the payer completes 3-D Secure: the invoice takes it
        awaitStatus(id, "succeeded");
        assertThat(accountant
                        .get("/api/v1/invoices/" + invoice)
                        .body()
                        .path("status")
                        .asString())
                .isEqualTo("paid");
        assertThat(balance()).isZero();
        assertLedgerBalances();
    }

    @Test
    void moneyChargedForAnInvoicePaidMeanwhileIsKeptOnTheBalanceAndCanGoBackToTheCard() {
        long invoice = cardOrBankTransferInvoice(600_00);
        long id = chargedAfterABankTransferPaidTheInvoice(invoice);
        assertThat(balance()).isEqualTo(600_00);
        assertThat(clearing("yookassa", invoice)).isEqualTo(600_00);
        String key = UUID.randomUUID().toString();
        String body = "{\"amount\":" + money(600_00) + ",\"reason\":\"the invoice was paid by bank\"}";

        var refund = accountant.post("/api/v1/card-payments/" + id + "/refunds", body, key);
        var repeated = accountant.post("/api/v1/card-payments/" + id + "/refunds", body, key);
        var more = accountant.post("/api/v1/card-payments/" + id + "/refunds", "{\"amount\":" + money(1_00) + "}");

        assertThat(refund.status()).isEqualTo(201);
        assertThat(refund.body().path("status").asString()).isEqualTo("succeeded");
        assertThat(repeated.body().path("id").asLong()).isEqualTo(refund.id());
        assertThat(more.status()).isEqualTo(422);
        assertThat(more.problemType()).isEqualTo("amount-exceeds-refundable");
        assertThat(balance()).isZero();
        assertThat(clearing("yookassa", invoice)).isZero();
        assertThat(jdbc.sql("select count(*) from refund r join payment p on p.id = r.payment_id"
                                + " where p.customer_id = ? and r.invoice_id is null")
                        .param(customer)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertLedgerBalances();
    }

    @Test
    void aCardTopUpGoesBackToTheCardOnlyAsFarAsTheBalanceStillHasIt() {
        long invoice = cardOrBankTransferInvoice(600_00);
        long id = chargedAfterABankTransferPaidTheInvoice(invoice);
        long other = order(accountant, customer, product(500_00), 1).id();
        assertThat(accountant
                        .post(
                                "/api/v1/invoices/" + other + "/payments",
                                "{\"method\":\"balance\",\"amount\":" + money(500_00) + "}")
                        .status())
                .isEqualTo(201);

        var all = accountant.post("/api/v1/card-payments/" + id + "/refunds", "{\"amount\":" + money(600_00) + "}");
        var rest = accountant.post("/api/v1/card-payments/" + id + "/refunds", "{\"amount\":" + money(100_00) + "}");

        assertThat(all.status()).isEqualTo(422);
        assertThat(all.problemType()).isEqualTo("insufficient-funds");
        assertThat(rest.status()).isEqualTo(201);
        assertThat(balance()).isZero();
        assertLedgerBalances();
    }

    /** An invoice of a rule that takes cards (YooKassa), bank transfers and the balance. */
    long cardOrBankTransferInvoice(long kopecks) {
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
                List.of("card", "bank_transfer", "balance"),
                List.of("yookassa"),
                0));
        return order(accountant, customer, product(kopecks), 1).id();
    }

    /**
     * A card payment the payer completes only after a bank transfer has paid the invoice: the card's money is real
     * all the same and becomes a top-up of the customer's balance. Returns the card payment.
     */
    long chargedAfterABankTransferPaidTheInvoice(long invoice) {
        yookassa.script().payerConfirms(false);
        long id = start(invoice, null).id();
        long total = accountant.get("/api/v1/invoices/" + invoice).amount("total");
        assertThat(accountant
                        .post(
                                "/api/v1/invoices/" + invoice + "/payments",
                                "{\"method\":\"bank_transfer\",\"amount\":" + money(total) + ",\"reference\":\"PP-" + id
                                        + "\"}")
                        .status())
                .isEqualTo(201);
        yookassa.confirmByPayer(providerPaymentId(id));
        awaitStatus(id, "succeeded");
        return id;
    }

    String providerPaymentId(long cardPayment) {
        return accountant
                .get("/api/v1/card-payments/" + cardPayment)
                .body()
                .path("provider_payment_id")
                .asString();
    }

    /** The customer's balance in roubles, posted. */
    long balance() {
        var balances =
                accountant.get("/api/v1/customers/" + customer + "/balances").body();
        return balances.isEmpty()
                ? 0
                : balances.get(0).path("posted").path("amount").asLong();
    }

    // --- unknown outcomes and routing -----------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"yookassa", "sber", "acme"})
    void aCreateThatTimesOutIsResolvedByTheCheckWithoutADoubleCharge(String provider) {
        callbacksTo(provider, URI.create("http://127.0.0.1:9/nobody-listens")); // only the check can tell
        script(provider).actThenHangNext(1, Duration.ofSeconds(3));
        long invoice = invoice(provider, false, 450_00);

        var started = start(invoice, null);

        assertThat(started.status()).isEqualTo(202);
        assertThat(started.body().path("status").asString()).isEqualTo("unknown");
        long id = started.id();
        clock.set(clock.instant().plus(Duration.ofMinutes(2)));
        var check = admin.post("/api/v1/jobs/card-payment-check", "{}");
        assertThat(check.status()).isEqualTo(200);
        assertThat(check.body().path("checked").asInt()).isGreaterThanOrEqualTo(1);
        var resolved = accountant.get("/api/v1/card-payments/" + id).body();
        assertThat(resolved.path("status").asString()).isIn("pending", "succeeded");
        clock.set(clock.instant().plus(Duration.ofMinutes(2)));
        admin.post("/api/v1/jobs/card-payment-check", "{}");
        awaitStatus(id, "succeeded");
        String orderNumber = accountant
                .get("/api/v1/card-payments/" + id)
                .body()
                .path("order_number")
                .asString();
        assertThat(paymentsFor(provider, orderNumber))
                .as("one payment at the provider")
                .isEqualTo(1);
        assertThat(accountant.get("/api/v1/invoices/" + invoice + "/payments").body())
                .hasSize(1);
        assertLedgerBalances();
    }

    @Test
    void aNewPaymentGoesToTheNextProviderWhileTheFirstIsDown() throws Exception {
        long invoice = invoice(List.of("yookassa", "sber"), false, 100_00);
        yookassa.script().failNext(2);
        // Two unknown outcomes in a window of two open YooKassa's breaker.
        long first = start(invoice, money(50_00)).id();
        long second = start(invoice, money(25_00)).id();
        assertThat(accountant
                        .get("/api/v1/card-payments/" + first)
                        .body()
                        .path("status")
                        .asString())
                .isEqualTo("unknown");
        assertThat(accountant
                        .get("/api/v1/card-payments/" + second)
                        .body()
                        .path("status")
                        .asString())
                .isEqualTo("unknown");

        var third = start(invoice, money(25_00));

        assertThat(third.status()).isEqualTo(201);
        assertThat(third.body().path("provider").asString()).isEqualTo("sber");
        awaitStatus(third.id(), "succeeded");
        Thread.sleep(400); // let YooKassa's breaker half-open for the tests after this one
    }

    @Test
    void aRepeatedStartWithTheSameKeyIsTheSamePayment() {
        long invoice = invoice("yookassa", false, 200_00);
        String key = UUID.randomUUID().toString();

        var first = accountant.post("/api/v1/invoices/" + invoice + "/card-payments", "{}", key);
        var again = accountant.post("/api/v1/invoices/" + invoice + "/card-payments", "{}", key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(accountant
                        .get("/api/v1/invoices/" + invoice + "/card-payments")
                        .body())
                .hasSize(1);
    }

    @Test
    void cardPaymentsBeyondTheOutstandingAmountAreRefused() {
        yookassa.script().payerConfirms(false);
        long invoice = invoice("yookassa", false, 200_00);
        assertThat(start(invoice, money(150_00)).status()).isEqualTo(201);

        var tooMuch = start(invoice, money(100_00));
        var rest = start(invoice, null);
        var nothingLeft = start(invoice, null);

        assertThat(tooMuch.status()).isEqualTo(422);
        assertThat(tooMuch.problemType()).isEqualTo("amount-exceeds-outstanding");
        assertThat(rest.status()).isEqualTo(201);
        assertThat(rest.amount("amount")).isEqualTo(50_00);
        assertThat(nothingLeft.status()).isEqualTo(409);
        assertThat(nothingLeft.problemType()).isEqualTo("card-payment-in-progress");
    }

    @Test
    void anInvoiceWhoseRulesDoNotAllowCardsIsRefused() {
        rule(0, false, 0); // balance and bank transfer only
        long invoice = order(accountant, customer, product(100_00), 1).id();

        var started = start(invoice, null);

        assertThat(started.status()).isEqualTo(422);
        assertThat(started.problemType()).isEqualTo("payment-method-not-allowed");
    }

    // --- helpers --------------------------------------------------------------------------------------------

    long invoice(String provider, boolean hold, long kopecks) {
        return invoice(List.of(provider), hold, kopecks);
    }

    long invoice(List<String> providers, boolean hold, long kopecks) {
        pricing.create(new NewBillingRule(
                category,
                "*",
                LocalDate.of(2020, 1, 1),
                null,
                0,
                250,
                0,
                "standard",
                hold,
                3600,
                List.of("card"),
                providers,
                0));
        return order(accountant, customer, product(kopecks), 1).id();
    }

    ApiClient.Response start(long invoice, String amount) {
        return as(ApiRole.CUSTOMER, customer)
                .post(
                        "/api/v1/invoices/" + invoice + "/card-payments",
                        amount == null
                                ? "{\"return_url\":\"https://shop.example/paid\"}"
                                : "{\"amount\":" + amount + "}");
    }

    static String money(long kopecks) {
        return ApiClient.money(kopecks);
    }

    JsonNode awaitStatus(long id, String status) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> accountant
                        .get("/api/v1/card-payments/" + id)
                        .body()
                        .path("status")
                        .asString()
                        .equals(status));
        return accountant.get("/api/v1/card-payments/" + id).body();
    }

    Script script(String provider) {
        return SIMULATED.get(provider).script();
    }

    long paymentsFor(String provider, String orderNumber) {
        return SIMULATED.get(provider).paymentsFor().applyAsLong(orderNumber);
    }

    int delivered(String provider) {
        return SIMULATED.get(provider).delivered().getAsInt();
    }

    /** What the provider's clearing account holds for one invoice: its postings name the invoice's number. */
    long clearing(String provider, long invoice) {
        String number = accountant
                .get("/api/v1/invoices/" + invoice)
                .body()
                .path("number")
                .asString();
        return jdbc.sql("select coalesce(sum(case when e.side = 'D' then e.amount else -e.amount end), 0)"
                        + " from ledger_entry e join ledger_account a on a.id = e.account_id"
                        + " join ledger_transaction t on t.id = e.transaction_id where a.code = ? and t.reference = ?")
                .params("provider:" + provider + ":clearing:RUB", number)
                .query(Long.class)
                .single();
    }

    /** Debits equal credits over the whole ledger, posted and pending, per currency. */
    void assertLedgerBalances() {
        List<Map<String, Object>> off = jdbc.sql("select currency, sum(debits_posted) - sum(credits_posted) as posted,"
                        + " sum(debits_pending) - sum(credits_pending) as pending from ledger_account"
                        + " group by currency having sum(debits_posted) <> sum(credits_posted)"
                        + " or sum(debits_pending) <> sum(credits_pending)")
                .query()
                .listOfRows();
        assertThat(off).isEmpty();
    }

    String sign(String order, String orderNumber, String operation) {
        return SberChecksum.of(sberParams(order, orderNumber, operation), SBER_KEY);
    }

    static Map<String, String> sberParams(String order, String orderNumber, String operation) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("mdOrder", order);
        params.put("orderNumber", orderNumber);
        params.put("operation", operation);
        params.put("status", "1");
        return params;
    }

    int sberCallback(String order, String orderNumber, String operation, String checksum) {
        Map<String, String> params = sberParams(order, orderNumber, operation);
        if (checksum != null) {
            params.put("checksum", checksum);
        }
        String query = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + port + "/api/v1/callbacks/sber?" + query))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

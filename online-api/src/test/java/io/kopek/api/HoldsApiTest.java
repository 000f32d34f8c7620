package io.kopek.api;

import static io.kopek.api.ApiClient.money;
import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.customer.CustomerType;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HoldsApiTest extends ApiTest {

    long customer;
    long invoice;

    @AfterEach
    void backToNow() {
        clock.set(Instant.now());
    }

    void invoiceOf(long kopecks, long balance) {
        rule(0, true, 0);
        customer = customer(CustomerType.INDIVIDUAL);
        topUp(customer, balance);
        invoice = order(accountant, customer, product(kopecks), 1).id();
    }

    ApiClient.Response hold(ApiClient as, String amount) {
        return as.post(
                "/api/v1/holds", "{\"invoice_id\":" + invoice + (amount == null ? "" : ",\"amount\":" + amount) + "}");
    }

    ApiClient.Response balance() {
        return accountant.get("/api/v1/customers/" + customer + "/balances");
    }

    @Test
    void aHoldReservesMoneyWithoutMovingIt() {
        invoiceOf(2_196_00, 3_000_00);

        var hold = hold(as(ApiRole.CUSTOMER, customer), null);

        assertThat(hold.status()).isEqualTo(201);
        assertThat(hold.body().path("status").asString()).isEqualTo("active");
        assertThat(hold.amount("amount")).isEqualTo(2_196_00);
        var b = balance().body().get(0);
        assertThat(b.path("posted").path("amount").asLong()).isEqualTo(3_000_00);
        assertThat(b.path("held").path("amount").asLong()).isEqualTo(2_196_00);
        assertThat(b.path("available").path("amount").asLong()).isEqualTo(804_00);
        assertThat(accountant.get("/api/v1/invoices/" + invoice).amount("outstanding"))
                .isZero();
    }

    @Test
    void aPartialCaptureTakesThatMuchAndReleasesTheRest() {
        invoiceOf(2_196_00, 3_000_00);
        long hold = hold(accountant, null).id();

        var captured = accountant.post("/api/v1/holds/" + hold + "/capture", "{\"amount\":" + money(1_000_00) + "}");

        assertThat(captured.body().path("status").asString()).isEqualTo("captured");
        assertThat(captured.amount("captured")).isEqualTo(1_000_00);
        var b = balance().body().get(0);
        assertThat(b.path("posted").path("amount").asLong()).isEqualTo(2_000_00);
        assertThat(b.path("held").path("amount").asLong()).isZero();
        var inv = accountant.get("/api/v1/invoices/" + invoice);
        assertThat(inv.body().path("status").asString()).isEqualTo("partially_paid");
        assertThat(inv.amount("outstanding")).isEqualTo(1_196_00);
    }

    @Test
    void aHoldIsCapturedOnceAndACapturedHoldCannotBeReleased() {
        invoiceOf(500_00, 1_000_00);
        long hold = hold(accountant, null).id();

        var first = accountant.post("/api/v1/holds/" + hold + "/capture", "{}");
        var second = accountant.post("/api/v1/holds/" + hold + "/capture", "{}");
        var release = accountant.post("/api/v1/holds/" + hold + "/release", "{}");

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.problemType()).isEqualTo("hold-captured");
        assertThat(release.status()).isEqualTo(409);
        assertThat(release.problemType()).isEqualTo("hold-captured");
        assertThat(balance().body().get(0).path("posted").path("amount").asLong())
                .isEqualTo(500_00);
    }

    /**
     * A hold placed and captured through {@link HoldsLeanPath} answers byte for byte as Spring MVC answers the same
     * hold read back (the metrics of the lean path: ApplicationTest, where the Actuator is).
     */
    @Test
    void placingAndCapturingAnswerAsSpringMvcAnswersTheHoldsRead() {
        invoiceOf(500_00, 1_000_00);

        var placed = hold(accountant, money(300_00));
        var placedRead = accountant.get("/api/v1/holds/" + placed.id());
        var captured = accountant.post("/api/v1/holds/" + placed.id() + "/capture", "{}");
        var capturedRead = accountant.get("/api/v1/holds/" + placed.id());

        assertThat(placed.status()).isEqualTo(201);
        assertThat(placed.raw().headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(placed.raw().body()).isEqualTo(placedRead.raw().body());
        assertThat(captured.status()).isEqualTo(200);
        assertThat(captured.raw().body()).isEqualTo(capturedRead.raw().body());
    }

    /**
     * The lean path, ahead of the security filters, answers only a key it knows whose role the endpoint admits: a
     * well-formed placement or capture with no key, an unknown key or a role the matrix refuses is the filters' to
     * answer, and changes nothing.
     */
    @Test
    void aWellFormedHoldWithoutAWorkingKeyOrFromARoleRefusedIsAnsweredByTheSecurityFilters() {
        invoiceOf(500_00, 1_000_00);
        String body = "{\"invoice_id\":" + invoice + "}";
        long hold = hold(accountant, money(100_00)).id();

        var none = new ApiClient(port, null).post("/api/v1/holds", body);
        var unknown = new ApiClient(port, "kpk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                .post("/api/v1/holds", body);
        var finance = as(ApiRole.FINANCE, null).post("/api/v1/holds", body);
        var customerCapture = as(ApiRole.CUSTOMER, customer).post("/api/v1/holds/" + hold + "/capture", "{}");

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.problemType()).isEqualTo("unauthenticated");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.problemType()).isEqualTo("invalid-api-key");
        assertThat(finance.status()).isEqualTo(403);
        assertThat(finance.problemType()).isEqualTo("forbidden");
        assertThat(customerCapture.status()).isEqualTo(403);
        assertThat(accountant.get("/api/v1/holds/" + hold).body().path("status").asString())
                .isEqualTo("active");
        assertThat(balance().body().get(0).path("held").path("amount").asLong()).isEqualTo(100_00);
    }

    /** A body the lean path cannot read or that does not validate goes on to Spring MVC, which answers as before. */
    @Test
    void aHoldThatDoesNotReadOrValidateIsAnsweredBySpringMvc() {
        invoiceOf(500_00, 1_000_00);

        var malformed = accountant.post("/api/v1/holds", "{\"invoice_id\":\"x\"}");
        var invalid = accountant.post("/api/v1/holds", "{\"invoice_id\":" + invoice + ",\"lifetime_seconds\":0}");
        var placed = accountant.post("/api/v1/holds", "{\"invoice_id\":" + invoice + "}");

        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.problemType()).isEqualTo("malformed-request");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.problemType()).isEqualTo("validation");
        assertThat(invalid.body().toString()).contains("lifetime_seconds");
        assertThat(placed.status()).isEqualTo(201);
        assertThat(placed.amount("amount")).isEqualTo(500_00);
    }

    @Test
    void capturingMoreThanHeldIsRejected() {
        invoiceOf(500_00, 1_000_00);
        long hold = hold(accountant, money(300_00)).id();

        var response = accountant.post("/api/v1/holds/" + hold + "/capture", "{\"amount\":" + money(300_01) + "}");

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.problemType()).isEqualTo("capture-exceeds-hold");
    }

    @Test
    void holdingMoreThanIsAvailableOrOutstandingIsRejected() {
        invoiceOf(500_00, 100_00);

        var beyondBalance = hold(accountant, money(200_00));
        var beyondInvoice = hold(accountant, money(500_01));

        assertThat(beyondBalance.problemType()).isEqualTo("insufficient-funds");
        assertThat(beyondInvoice.problemType()).isEqualTo("amount-exceeds-outstanding");
    }

    @Test
    void aReleasedHoldGivesTheMoneyBack() {
        invoiceOf(500_00, 1_000_00);
        var self = as(ApiRole.CUSTOMER, customer);
        long hold = hold(self, null).id();

        var released = self.post("/api/v1/holds/" + hold + "/release", "{}");
        var capture = accountant.post("/api/v1/holds/" + hold + "/capture", "{}");

        assertThat(released.body().path("status").asString()).isEqualTo("released");
        assertThat(balance().body().get(0).path("available").path("amount").asLong())
                .isEqualTo(1_000_00);
        assertThat(capture.problemType()).isEqualTo("hold-released");
    }

    @Test
    void anExpiredHoldCannotBeCapturedAndTheJobReleasesIt() {
        invoiceOf(500_00, 1_000_00);
        long hold = accountant
                .post("/api/v1/holds", "{\"invoice_id\":" + invoice + ",\"lifetime_seconds\":60}")
                .id();
        clock.advance(Duration.ofSeconds(61));

        var capture = accountant.post("/api/v1/holds/" + hold + "/capture", "{}");
        var job = as(ApiRole.OPERATOR, null).post("/api/v1/jobs/hold-expiry", "{}");

        assertThat(capture.status()).isEqualTo(409);
        assertThat(capture.problemType()).isEqualTo("hold-expired");
        assertThat(job.body().path("expired").asInt()).isPositive();
        assertThat(accountant.get("/api/v1/holds/" + hold).body().path("status").asString())
                .isEqualTo("expired");
        assertThat(balance().body().get(0).path("available").path("amount").asLong())
                .isEqualTo(1_000_00);
        assertThat(accountant.get("/api/v1/invoices/" + invoice).amount("outstanding"))
                .isEqualTo(500_00);
    }

    @Test
    void aHoldLivesNoLongerThanItsRuleAllows() {
        invoiceOf(500_00, 1_000_00);

        var tooLong = accountant.post("/api/v1/holds", "{\"invoice_id\":" + invoice + ",\"lifetime_seconds\":3601}");
        var byDefault = hold(accountant, null);

        assertThat(tooLong.problemType()).isEqualTo("invalid-hold-lifetime");
        Instant expires = Instant.parse(byDefault.body().path("expires_at").asString());
        Instant created = Instant.parse(byDefault.body().path("created_at").asString());
        assertThat(Duration.between(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS), expires))
                .isEqualTo(Duration.ofHours(1));
        assertThat(created).isNotNull();
    }
}

package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.billing.Holds;
import io.kopek.billing.Payment;
import io.kopek.billing.Payments;
import io.kopek.customer.CustomerType;
import io.kopek.money.Money;
import io.kopek.partition.DayPartitions;
import io.kopek.pricing.NewBillingRule;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The console's dashboard on known data: card turnover, discrepancies, the fiscal backlog, expiring holds. */
class DashboardApiTest extends ApiTest {

    @Autowired
    Payments payments;

    @Autowired
    Holds holds;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DayPartitions partitions;

    String provider = "dash" + UUID.randomUUID().toString().substring(0, 8);
    LocalDate today = LocalDate.now(ZoneId.of("Europe/Moscow"));

    long cardCustomer;
    long cardProduct;

    void cardRule() {
        pricing.create(new NewBillingRule(
                category,
                "*",
                LocalDate.of(2020, 1, 1),
                null,
                0,
                200,
                0,
                "standard",
                false,
                null,
                List.of("card", "balance"),
                List.of(provider),
                0));
        cardCustomer = customer(CustomerType.INDIVIDUAL);
        cardProduct = product(500_00);
    }

    Payment paidByCard(int quantity, String providerPaymentId) {
        long invoice = order(accountant, cardCustomer, cardProduct, quantity).id();
        return payments.recordCardPayment(invoice, Money.rub(500_00L * quantity), provider, providerPaymentId);
    }

    static List<JsonNode> rows(ApiClient.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return StreamSupport.stream(r.body().spliterator(), false).toList();
    }

    @Test
    void turnoverCountsAndSumsCardPaymentsAndRefundsPerProviderAndDay() {
        cardRule();
        Payment refunded = paidByCard(1, "d-1");
        paidByCard(2, "d-2");
        payments.recordCardRefund(refunded.invoiceId(), refunded.id(), Money.rub(200_00), "partly back");

        var ours =
                rows(as(ApiRole.FINANCE, null).get("/api/v1/dashboard/turnover?from=" + today + "&to=" + today))
                        .stream()
                        .filter(r -> r.path("provider").asString().equals(provider))
                        .toList();

        assertThat(ours).singleElement().satisfies(day -> {
            assertThat(day.path("business_date").asString()).isEqualTo(today.toString());
            assertThat(day.path("currency").asString()).isEqualTo("RUB");
            assertThat(day.path("payments").asLong()).isEqualTo(2);
            assertThat(day.path("amount").asLong()).isEqualTo(1_500_00);
            assertThat(day.path("refunds").asLong()).isEqualTo(1);
            assertThat(day.path("refunded").asLong()).isEqualTo(200_00);
        });
        assertThat(rows(accountant.get(
                                "/api/v1/dashboard/turnover?from=" + today.minusDays(3) + "&to=" + today.minusDays(1)))
                        .stream()
                        .filter(r -> r.path("provider").asString().equals(provider)))
                .isEmpty();
    }

    @Test
    void discrepanciesAreCountedPerDayAndResultClassWithTheOpenOnes() {
        cardRule();
        paidByCard(1, "d-3");
        paidByCard(1, "d-4");
        partitions.ensure("registry_line", today); // as the import makes it before it writes the lines
        long file = jdbc.sql("insert into registry_file (provider, name, sha256, business_date, status)"
                        + " values (?, 'day.csv', ?, ?, 'imported') returning id")
                .params(provider, new byte[32], today)
                .query(Long.class)
                .single();
        jdbc.sql("insert into registry_line (business_date, file_id, line_no, provider_payment_id, operation, amount,"
                        + " commission, settled_amount, currency, operated_at) values (?, ?, 1, 'd-x', 'payment', 70000,"
                        + " 1000, 69000, 'RUB', ?)")
                .params(today, file, Timestamp.from(Instant.now()))
                .update();
        var run = accountant.post(
                "/api/v1/reconciliation/runs",
                "{\"provider\":\"" + provider + "\",\"business_date\":\"" + today + "\"}");
        assertThat(run.status()).as(run.toString()).isEqualTo(201);
        long one = StreamSupport.stream(
                        accountant
                                .get("/api/v1/discrepancies?provider=" + provider)
                                .body()
                                .path("data")
                                .spliterator(),
                        false)
                .filter(d -> d.path("result").asString().equals("missing_in_registry"))
                .findFirst()
                .orElseThrow()
                .path("id")
                .asLong();
        accountant.post("/api/v1/discrepancies/" + one + "/resolve", "{\"resolution\":\"seen\"}");

        var counts = rows(as(ApiRole.OPERATOR, null)
                .get("/api/v1/dashboard/discrepancies?from=" + today + "&to=" + today + "&provider=" + provider));

        assertThat(counts)
                .extracting(c -> c.path("business_date").asString() + " "
                        + c.path("result_class").asString() + " "
                        + c.path("count").asLong() + " " + c.path("open").asLong())
                .containsExactly(today + " missing_in_ledger 1 1", today + " missing_in_registry 2 1");
    }

    @Test
    void holdsExpiringWithinThePeriodAreListedSoonestFirstWithTheirMoney() {
        rule(0, false, 0);
        long customer = customer(CustomerType.INDIVIDUAL);
        topUp(customer, 1_000_00);
        long product = product(100_00);
        long soon = holds.place(order(accountant, customer, product, 1).id(), Money.rub(100_00), Duration.ofMinutes(30))
                .id();
        long beyond = holds.place(order(accountant, customer, product, 1).id(), null, null)
                .id();

        var expiring = rows(accountant.get("/api/v1/dashboard/holds-expiring?within=PT45M")).stream()
                .filter(h -> h.path("customer_id").asLong() == customer)
                .toList();
        var byDefault = rows(accountant.get("/api/v1/dashboard/holds-expiring")).stream()
                .filter(h -> h.path("customer_id").asLong() == customer)
                .map(h -> h.path("hold_id").asLong())
                .toList();

        assertThat(expiring).singleElement().satisfies(h -> {
            assertThat(h.path("hold_id").asLong()).isEqualTo(soon);
            assertThat(h.path("amount").path("amount").asLong()).isEqualTo(100_00);
            assertThat(h.path("amount").path("currency").asString()).isEqualTo("RUB");
            assertThat(h.path("source").asString()).isEqualTo("balance");
            assertThat(Instant.parse(h.path("expires_at").asString()))
                    .isBetween(Instant.now(), Instant.now().plus(Duration.ofMinutes(31)));
        });
        // the rule lets a hold live an hour (ApiTest.rule): both expire within the default 48 hours
        assertThat(byDefault).containsExactly(soon, beyond);
    }

    @Test
    void theFiscalBacklogNamesEveryUnfinishedState() {
        var backlog = rows(as(ApiRole.OPERATOR, null).get("/api/v1/dashboard/fiscal-backlog"));
        var same = rows(accountant.get("/api/v1/fiscal/backlog"));

        assertThat(backlog)
                .extracting(s -> s.path("state").asString())
                .containsExactly("pending", "waiting", "failed", "invalid");
        assertThat(backlog).allSatisfy(s -> assertThat(s.path("count").asLong()).isNotNegative());
        assertThat(same)
                .extracting(s -> s.path("state").asString())
                .containsExactly("pending", "waiting", "failed", "invalid");
    }

    @Test
    void periodsAreTheRightWayRoundAndAtMostAYear() {
        var backwards = accountant.get("/api/v1/dashboard/turnover?from=" + today + "&to=" + today.minusDays(1));
        var tooLong = accountant.get("/api/v1/dashboard/discrepancies?from=" + today.minusDays(366) + "&to=" + today);
        var aYear = accountant.get("/api/v1/dashboard/discrepancies?from=" + today.minusDays(365) + "&to=" + today);
        var notADate = accountant.get("/api/v1/dashboard/turnover?from=yesterday&to=" + today);
        var noTime = accountant.get("/api/v1/dashboard/holds-expiring?within=PT0S");
        var tooFar = accountant.get("/api/v1/dashboard/holds-expiring?within=P367D");

        assertThat(aYear.status()).isEqualTo(200);
        for (var refused : List.of(backwards, tooLong, notADate, noTime, tooFar)) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
            assertThat(refused.problemType()).isEqualTo("validation");
        }
        assertThat(field(backwards)).isEqualTo("from");
        assertThat(field(tooLong)).isEqualTo("to");
        assertThat(field(notADate)).isEqualTo("from");
        assertThat(field(noTime)).isEqualTo("within");
        assertThat(field(tooFar)).isEqualTo("within");
    }

    static String field(ApiClient.Response r) {
        return r.body().path("errors").get(0).path("field").asString();
    }

    @Test
    void customersMayNotReadTheDashboardAndNoKeyIsUnauthorized() {
        ApiClient customer = as(ApiRole.CUSTOMER, customer(CustomerType.INDIVIDUAL));
        ApiClient nobody = new ApiClient(port, null);
        for (String path : List.of(
                "/api/v1/dashboard/turnover",
                "/api/v1/dashboard/discrepancies",
                "/api/v1/dashboard/fiscal-backlog",
                "/api/v1/dashboard/holds-expiring",
                "/api/v1/fiscal/backlog",
                "/api/v1/fiscal/failed",
                "/api/v1/fiscal/unfiscalized")) {
            assertThat(customer.get(path).status()).as(path).isEqualTo(403);
            assertThat(nobody.get(path).status()).as(path).isEqualTo(401);
            assertThat(as(ApiRole.FINANCE, null).get(path).status()).as(path).isEqualTo(200);
        }
    }
}

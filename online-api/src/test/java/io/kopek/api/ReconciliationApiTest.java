package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.billing.Payments;
import io.kopek.customer.CustomerType;
import io.kopek.money.Money;
import io.kopek.pricing.NewBillingRule;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class ReconciliationApiTest extends ApiTest {

    @Autowired
    Payments payments;

    @Autowired
    JdbcClient jdbc;

    String provider = "rec" + UUID.randomUUID().toString().substring(0, 8);
    LocalDate today = LocalDate.now(ZoneId.of("Europe/Moscow"));

    /** A card payment settled in the registry, and one the registry does not have. */
    void aDayWithOneMatchAndOneMiss() {
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
                List.of("card"),
                List.of(provider),
                0));
        long customer = customer(CustomerType.INDIVIDUAL);
        long product = product(500_00);
        long settled = order(accountant, customer, product, 1).id();
        long unsettled = order(accountant, customer, product, 2).id();
        payments.recordCardPayment(settled, Money.rub(500_00), provider, "p-1");
        payments.recordCardPayment(unsettled, Money.rub(1_000_00), provider, "p-2");
        long file = jdbc.sql("insert into registry_file (provider, name, sha256, business_date, status)"
                        + " values (?, 'day.csv', ?, ?, 'imported') returning id")
                .params(provider, new byte[32], today)
                .query(Long.class)
                .single();
        jdbc.sql("insert into registry_line (file_id, line_no, provider_payment_id,"
                        + " operation, amount, commission, settled_amount, currency, operated_at)"
                        + " values (?, 1, 'p-1', 'payment', 50000, 1000, 49000, 'RUB', ?)")
                .params(file, Timestamp.from(Instant.now()))
                .update();
    }

    ApiClient.Response run(ApiClient as) {
        return as.post(
                "/api/v1/reconciliation/runs",
                "{\"provider\":\"" + provider + "\",\"business_date\":\"" + today + "\"}");
    }

    @Test
    void anAccountantRunsADayAndReadsWhatItFound() {
        aDayWithOneMatchAndOneMiss();

        var run = run(accountant);

        assertThat(run.status()).isEqualTo(201);
        assertThat(run.body().path("status").asString()).isEqualTo("done");
        assertThat(run.body()
                        .path("summary")
                        .path("results")
                        .path("matched")
                        .path("count")
                        .asInt())
                .isEqualTo(1);
        var misses = accountant
                .get("/api/v1/reconciliation/runs/" + run.id() + "/results?result=missing_in_registry")
                .body();
        assertThat(misses).hasSize(1);
        assertThat(misses.get(0).path("provider_payment_id").asString()).isEqualTo("p-2");
        var latest = accountant
                .get("/api/v1/reconciliation/runs?provider=" + provider + "&from=" + today + "&to=" + today)
                .body();
        assertThat(latest).hasSize(1);
        assertThat(latest.get(0).path("id").asLong()).isEqualTo(run.id());
    }

    @Test
    void aDiscrepancyIsCommentedOnAndResolvedOnce() {
        aDayWithOneMatchAndOneMiss();
        run(accountant);
        var open = accountant
                .get("/api/v1/discrepancies?provider=" + provider + "&status=open")
                .body()
                .path("data");
        assertThat(open).hasSize(1);
        long id = open.get(0).path("id").asLong();
        assertThat(open.get(0).path("result").asString()).isEqualTo("missing_in_registry");

        var commented = accountant.post(
                "/api/v1/discrepancies/" + id + "/comments", "{\"body\":\"asked the provider for the registry\"}");
        var resolved = accountant.post(
                "/api/v1/discrepancies/" + id + "/resolve", "{\"resolution\":\"settled in the next registry\"}");
        var again = accountant.post("/api/v1/discrepancies/" + id + "/resolve", "{\"resolution\":\"twice\"}");

        assertThat(commented.status()).isEqualTo(201);
        assertThat(commented.body().path("comments").get(0).path("author").asString())
                .isEqualTo("test accountant");
        assertThat(resolved.status()).isEqualTo(200);
        assertThat(resolved.body().path("status").asString()).isEqualTo("resolved");
        assertThat(resolved.body().path("resolved_by").asString()).isEqualTo("test accountant");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.problemType()).isEqualTo("discrepancy-not-open");
        // A run of the day again keeps the accountant's resolution.
        run(accountant);
        assertThat(accountant
                        .get("/api/v1/discrepancies/" + id)
                        .body()
                        .path("status")
                        .asString())
                .isEqualTo("resolved");
    }

    @Test
    void customersSeeNoReconciliationAndOperatorsDoNotResolve() {
        aDayWithOneMatchAndOneMiss();
        long customer = customer(CustomerType.INDIVIDUAL);
        var runByOperator = run(as(ApiRole.OPERATOR, null));
        long id = accountant
                .get("/api/v1/discrepancies?provider=" + provider)
                .body()
                .path("data")
                .get(0)
                .path("id")
                .asLong();

        assertThat(runByOperator.status()).isEqualTo(201);
        assertThat(as(ApiRole.CUSTOMER, customer).get("/api/v1/discrepancies").status())
                .isEqualTo(403);
        assertThat(run(as(ApiRole.CUSTOMER, customer)).status()).isEqualTo(403);
        assertThat(as(ApiRole.OPERATOR, null)
                        .post("/api/v1/discrepancies/" + id + "/resolve", "{\"resolution\":\"no\"}")
                        .status())
                .isEqualTo(403);
        assertThat(accountant.get("/api/v1/discrepancies/999999999").status()).isEqualTo(404);
        var empty = accountant.post("/api/v1/discrepancies/" + id + "/comments", "{\"body\":\"\"}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.problemType()).isEqualTo("validation");
    }
}

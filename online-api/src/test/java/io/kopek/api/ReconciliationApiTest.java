package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.billing.Payments;
import io.kopek.customer.CustomerType;
import io.kopek.money.Money;
import io.kopek.partition.DayPartitions;
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

    @Autowired
    DayPartitions partitions;

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
        partitions.ensure("registry_line", today); // as the import makes it before it writes the lines
        long file = jdbc.sql("insert into registry_file (provider, name, sha256, business_date, status)"
                        + " values (?, 'day.csv', ?, ?, 'imported') returning id")
                .params(provider, new byte[32], today)
                .query(Long.class)
                .single();
        jdbc.sql("insert into registry_line (business_date, file_id, line_no, provider_payment_id,"
                        + " operation, amount, commission, settled_amount, currency, operated_at)"
                        + " values (?, ?, 1, 'p-1', 'payment', 50000, 1000, 49000, 'RUB', ?)")
                .params(today, file, Timestamp.from(Instant.now()))
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
    void customersSeeNoReconciliationAndOperatorsResolve() {
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
        assertThat(as(ApiRole.CUSTOMER, customer)
                        .post("/api/v1/discrepancies/" + id + "/resolve", "{\"resolution\":\"no\"}")
                        .status())
                .isEqualTo(403);
        var byOperator = as(ApiRole.OPERATOR, null)
                .post("/api/v1/discrepancies/" + id + "/resolve", "{\"resolution\":\"re-sent by the provider\"}");
        assertThat(byOperator.status()).as(byOperator.toString()).isEqualTo(200);
        assertThat(byOperator.body().path("status").asString()).isEqualTo("resolved");
        assertThat(accountant.get("/api/v1/discrepancies/999999999").status()).isEqualTo(404);
        var empty = accountant.post("/api/v1/discrepancies/" + id + "/comments", "{\"body\":\"\"}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.problemType()).isEqualTo("validation");
    }

    // --- many at once -----------------------------------------------------------------------------------------

    List<String> resolvedEvents() {
        return jdbc.sql("select payload->>'discrepancyId' || ' ' || (payload->>'resolvedBy') from outbox_event"
                        + " where type = 'discrepancy.resolved' and payload->>'provider' = ? order by id")
                .param(provider)
                .query(String.class)
                .list();
    }

    /** A day with three open discrepancies: two payments the registry lacks, a line the ledger lacks. */
    List<Long> threeOpen() {
        aDayWithOneMatchAndOneMiss();
        long customer = customer(CustomerType.INDIVIDUAL);
        long invoice = order(accountant, customer, product(300_00), 1).id();
        payments.recordCardPayment(invoice, Money.rub(300_00), provider, "p-3");
        long file = jdbc.sql("select id from registry_file where provider = ?")
                .param(provider)
                .query(Long.class)
                .single();
        jdbc.sql("insert into registry_line (business_date, file_id, line_no, provider_payment_id,"
                        + " operation, amount, commission, settled_amount, currency, operated_at)"
                        + " values (?, ?, 2, 'p-unknown', 'payment', 70000, 1000, 69000, 'RUB', ?)")
                .params(today, file, Timestamp.from(Instant.now()))
                .update();
        run(accountant);
        List<Long> ids = new java.util.ArrayList<>();
        accountant
                .get("/api/v1/discrepancies?provider=" + provider + "&status=open")
                .body()
                .path("data")
                .forEach(d -> ids.add(d.path("id").asLong()));
        assertThat(ids).hasSize(3);
        return ids;
    }

    @Test
    void manyDiscrepanciesAreResolvedByIdsWithOneResolutionEachRecordedAsASingleOne() {
        List<Long> ids = threeOpen();

        var resolved = accountant.post(
                "/api/v1/discrepancies/resolve",
                "{\"ids\":[" + ids.get(0) + "," + ids.get(2) + "],\"resolution\":\"settled by phone\"}");

        assertThat(resolved.status()).as(resolved.toString()).isEqualTo(200);
        assertThat(resolved.body().path("resolved").asInt()).isEqualTo(2);
        for (long id : List.of(ids.get(0), ids.get(2))) {
            var d = accountant.get("/api/v1/discrepancies/" + id).body();
            assertThat(d.path("status").asString()).isEqualTo("resolved");
            assertThat(d.path("resolution").asString()).isEqualTo("settled by phone");
            assertThat(d.path("resolved_by").asString()).isEqualTo("test accountant");
            assertThat(d.path("resolved_at").asString()).isNotBlank();
        }
        var list = accountant
                .get("/api/v1/discrepancies?provider=" + provider + "&status=resolved")
                .body()
                .path("data");
        assertThat(list).hasSize(2);
        assertThat(list.get(0).path("resolved_by").asString()).isEqualTo("test accountant");
        assertThat(resolvedEvents()).containsExactly(ids.get(0) + " test accountant", ids.get(2) + " test accountant");

        var withAResolvedOne =
                accountant.post("/api/v1/discrepancies/resolve", "{\"ids\":" + ids + ",\"resolution\":\"all\"}");
        assertThat(withAResolvedOne.status()).isEqualTo(409);
        assertThat(withAResolvedOne.problemType()).isEqualTo("discrepancy-not-open");
        assertThat(accountant
                        .get("/api/v1/discrepancies/" + ids.get(1))
                        .body()
                        .path("status")
                        .asString())
                .as("all or nothing")
                .isEqualTo("open");
        var unknown = accountant.post("/api/v1/discrepancies/resolve", "{\"ids\":[999999999],\"resolution\":\"x\"}");
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void aFilterResolvesTheOpenDiscrepanciesItMatches() {
        threeOpen();

        var resolved = as(ApiRole.FINANCE, null)
                .post(
                        "/api/v1/discrepancies/resolve",
                        "{\"filter\":{\"provider\":\"" + provider + "\",\"business_date\":\"" + today
                                + "\",\"result_class\":\"missing_in_registry\",\"status\":\"open\"},"
                                + "\"resolution\":\"refunded by the bank\"}");

        assertThat(resolved.status()).as(resolved.toString()).isEqualTo(200);
        assertThat(resolved.body().path("resolved").asInt()).isEqualTo(2);
        var open = accountant
                .get("/api/v1/discrepancies?provider=" + provider + "&status=open")
                .body()
                .path("data");
        assertThat(open).hasSize(1);
        assertThat(open.get(0).path("result").asString()).isEqualTo("missing_in_ledger");
        assertThat(resolvedEvents()).hasSize(2);
    }

    @Test
    void moreThanTenThousandAreRefusedNamingHowMany() {
        aDayWithOneMatchAndOneMiss();
        long runId = run(accountant).id();
        jdbc.sql("insert into discrepancy (provider, business_date, item_key, result, why, amount, currency, status,"
                        + " first_run_id, last_run_id) select ?, ?, 'line:x:' || n, 'missing_in_ledger', 'test', 100,"
                        + " 'RUB', 'open', ?, ? from generate_series(1, 10000) n")
                .params(provider, today, runId, runId)
                .update();

        var refused = accountant.post(
                "/api/v1/discrepancies/resolve",
                "{\"filter\":{\"provider\":\"" + provider + "\"},\"resolution\":\"all of them\"}");
        List<Long> tooManyIds =
                java.util.stream.LongStream.rangeClosed(1, 10_001).boxed().toList();
        var tooManyById =
                accountant.post("/api/v1/discrepancies/resolve", "{\"ids\":" + tooManyIds + ",\"resolution\":\"x\"}");

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.problemType()).isEqualTo("too-many-discrepancies");
        assertThat(refused.body().path("detail").asString()).startsWith("10001 discrepancies");
        assertThat(tooManyById.status()).isEqualTo(422);
        assertThat(tooManyById.body().path("detail").asString()).startsWith("10001 discrepancies");
        assertThat(resolvedEvents()).isEmpty();
    }

    @Test
    void aBulkResolutionNamesWhatItTakesAndWhoMayAsk() {
        List<Long> ids = threeOpen();
        String byIds = "{\"ids\":[" + ids.get(0) + "],\"resolution\":\"x\"}";

        var both = accountant.post(
                "/api/v1/discrepancies/resolve",
                "{\"ids\":[" + ids.get(0) + "],\"filter\":{\"provider\":\"" + provider + "\"},\"resolution\":\"x\"}");
        var neither = accountant.post("/api/v1/discrepancies/resolve", "{\"resolution\":\"x\"}");
        var resolvedOnes = accountant.post(
                "/api/v1/discrepancies/resolve",
                "{\"filter\":{\"provider\":\"" + provider + "\",\"status\":\"resolved\"},\"resolution\":\"x\"}");
        var emptyFilter = accountant.post("/api/v1/discrepancies/resolve", "{\"filter\":{},\"resolution\":\"x\"}");
        var noResolution = accountant.post("/api/v1/discrepancies/resolve", "{\"ids\":[" + ids.get(0) + "]}");

        assertThat(List.of(both, neither, resolvedOnes, emptyFilter, noResolution))
                .allSatisfy(r -> {
                    assertThat(r.status()).as(r.toString()).isEqualTo(400);
                    assertThat(r.problemType()).isEqualTo("validation");
                });
        assertThat(resolvedOnes.body().path("errors").get(0).path("field").asString())
                .isEqualTo("filter.status");
        assertThat(as(ApiRole.CUSTOMER, customer(CustomerType.INDIVIDUAL))
                        .post("/api/v1/discrepancies/resolve", byIds)
                        .status())
                .isEqualTo(403);
        assertThat(new ApiClient(port, null)
                        .post("/api/v1/discrepancies/resolve", byIds)
                        .status())
                .isEqualTo(401);
        assertThat(resolvedEvents()).isEmpty();
        assertThat(admin.post("/api/v1/discrepancies/resolve", byIds).status()).isEqualTo(200);
    }
}

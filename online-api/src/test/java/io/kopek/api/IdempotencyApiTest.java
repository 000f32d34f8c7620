package io.kopek.api;

import static io.kopek.api.ApiClient.money;
import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.customer.CustomerType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class IdempotencyApiTest extends ApiTest {

    String topUpBody(String reference) {
        return "{\"amount\":" + money(100_00) + ",\"reference\":\"" + reference + "\"}";
    }

    long posted(long customer) {
        var balances =
                accountant.get("/api/v1/customers/" + customer + "/balances").body();
        return balances.isEmpty()
                ? 0
                : balances.get(0).path("posted").path("amount").asLong();
    }

    @Test
    void aRepeatedPostReturnsTheFirstAnswerAndActsOnce() {
        long customer = customer(CustomerType.COMPANY);
        String path = "/api/v1/customers/" + customer + "/top-ups";

        var first = accountant.post(path, topUpBody("PP-1"), "key-1");
        var repeat = accountant.post(path, topUpBody("PP-1"), "key-1");

        assertThat(first.status()).isEqualTo(201);
        assertThat(repeat.status()).isEqualTo(201);
        assertThat(repeat.raw().body()).isEqualTo(first.raw().body());
        assertThat(repeat.raw().headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(posted(customer)).isEqualTo(100_00);
    }

    @Test
    void anIssuedKeysSecretIsNeitherKeptForReplayNorReplayed() {
        String body = "{\"role\":\"finance\",\"name\":\"shown once\"}";

        var first = admin.post("/api/v1/api-keys", body, "issue-once");
        var repeat = admin.post("/api/v1/api-keys", body, "issue-once");

        String secret = first.body().path("key").asString();
        assertThat(first.status()).isEqualTo(201);
        assertThat(secret).startsWith("kpk_");
        assertThat(new ApiClient(port, secret).get("/api/v1/events").status()).isEqualTo(200);
        assertThat(repeat.status()).isEqualTo(201);
        assertThat(repeat.raw().headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(repeat.body().path("id").asLong())
                .isEqualTo(first.body().path("id").asLong());
        assertThat(repeat.body().has("key")).isFalse();
        assertThat(repeat.raw().body()).doesNotContain(secret);
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefused() {
        long customer = customer(CustomerType.COMPANY);
        String path = "/api/v1/customers/" + customer + "/top-ups";

        accountant.post(path, topUpBody("PP-1"), "key-2");
        var other = accountant.post(path, topUpBody("PP-2"), "key-2");

        assertThat(other.status()).isEqualTo(422);
        assertThat(other.problemType()).isEqualTo("idempotency-key-reused");
        assertThat(posted(customer)).isEqualTo(100_00);
    }

    @Test
    void everyPostNeedsAKey() {
        long customer = customer(CustomerType.COMPANY);

        var response = accountant.post("/api/v1/customers/" + customer + "/top-ups", topUpBody("PP-1"), null);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.problemType()).isEqualTo("idempotency-key-required");
        assertThat(posted(customer)).isZero();
    }

    @Test
    void aRefusedRequestLeavesNothingBehindAndCanBeRetriedWithItsKey() {
        rule(0, false, 0);
        long customer = customer(CustomerType.COMPANY);
        var invoice = order(accountant, customer, product(100_00), 1);
        String pay = "{\"method\":\"balance\",\"amount\":" + money(100_00) + "}";
        String path = "/api/v1/invoices/" + invoice.id() + "/payments";

        var refused = accountant.post(path, pay, "pay-1");
        topUp(customer, 100_00);
        var retried = accountant.post(path, pay, "pay-1");

        assertThat(refused.problemType()).isEqualTo("insufficient-funds");
        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.raw().headers().firstValue("Idempotent-Replayed")).isEmpty();
    }

    @Test
    void keysBelongToTheApiKeyThatSentThem() {
        long customer = customer(CustomerType.COMPANY);
        String path = "/api/v1/customers/" + customer + "/top-ups";

        accountant.post(path, topUpBody("PP-1"), "shared");
        admin.post(path, topUpBody("PP-1"), "shared");

        assertThat(posted(customer)).isEqualTo(200_00);
    }

    @Test
    void fiftyConcurrentRepeatsOfOnePostHaveOneEffect() throws Exception {
        long customer = customer(CustomerType.COMPANY);
        String path = "/api/v1/customers/" + customer + "/top-ups";

        List<ApiClient.Response> responses = concurrently(50, () -> accountant.post(path, topUpBody("PP-50"), "burst"));

        assertThat(responses).allSatisfy(r -> assertThat(r.status()).isEqualTo(201));
        assertThat(responses.stream().map(r -> r.id()).distinct()).hasSize(1);
        assertThat(posted(customer)).isEqualTo(100_00);
        assertThat(accountant
                        .get("/api/v1/ledger/accounts/customer:" + customer + ":balance:RUB/entries?limit=100")
                        .body()
                        .path("data")
                        .size())
                .isEqualTo(1);
    }

    @Test
    void aRepeatThatFindsItsWorkDoneGetsTheFirstAnswer() {
        rule(0, true, 0);
        long customer = customer(CustomerType.COMPANY);
        topUp(customer, 100_00);
        long invoice = order(accountant, customer, product(100_00), 1).id();
        long hold = accountant
                .post("/api/v1/holds", "{\"invoice_id\":" + invoice + "}")
                .id();
        String capture = "/api/v1/holds/" + hold + "/capture";

        var first = accountant.post(capture, "{}", "capture-1");
        var repeat = accountant.post(capture, "{}", "capture-1");
        var another = accountant.post(capture, "{}", "capture-2");

        assertThat(first.status()).isEqualTo(200);
        assertThat(repeat.status()).isEqualTo(200);
        assertThat(repeat.raw().body()).isEqualTo(first.raw().body());
        assertThat(repeat.raw().headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(another.problemType()).isEqualTo("hold-captured");
    }

    @Test
    void fiftyConcurrentRepeatsOfOneHoldAnswerAlikeAndHoldOnce() throws Exception {
        rule(0, true, 0);
        long customer = customer(CustomerType.COMPANY);
        topUp(customer, 1_000_00);
        long invoice = order(accountant, customer, product(100_00), 1).id();

        List<ApiClient.Response> responses = concurrently(
                50, () -> accountant.post("/api/v1/holds", "{\"invoice_id\":" + invoice + "}", "hold-burst"));

        assertThat(responses).allSatisfy(r -> assertThat(r.status()).isEqualTo(201));
        assertThat(responses.stream().map(r -> r.raw().body()).distinct()).hasSize(1);
        assertThat(accountant
                        .get("/api/v1/holds?invoice_id=" + invoice)
                        .body()
                        .path("data")
                        .size())
                .isEqualTo(1);
    }

    static <T> List<T> concurrently(int threads, Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}

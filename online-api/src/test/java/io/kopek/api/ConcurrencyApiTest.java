package io.kopek.api;

import static io.kopek.api.ApiClient.money;
import static io.kopek.api.IdempotencyApiTest.concurrently;
import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.customer.CustomerType;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Money under contention: many requests at once on one hold, one invoice, one balance. */
class ConcurrencyApiTest extends ApiTest {

    @Test
    void fiftyThreadsCapturingOneHoldCaptureItOnce() throws Exception {
        rule(0, true, 0);
        long customer = customer(CustomerType.COMPANY);
        topUp(customer, 1_000_00);
        long invoice = order(accountant, customer, product(600_00), 1).id();
        long hold = accountant
                .post("/api/v1/holds", "{\"invoice_id\":" + invoice + "}")
                .id();

        List<ApiClient.Response> responses =
                concurrently(50, () -> accountant.post("/api/v1/holds/" + hold + "/capture", "{}"));

        Map<Integer, Long> byStatus =
                responses.stream().collect(Collectors.groupingBy(ApiClient.Response::status, Collectors.counting()));
        assertThat(byStatus).containsOnlyKeys(200, 409).containsEntry(200, 1L).containsEntry(409, 49L);
        assertThat(responses.stream().filter(r -> r.status() == 409).map(ApiClient.Response::problemType))
                .allMatch("hold-captured"::equals);
        assertThat(accountant
                        .get("/api/v1/invoices/" + invoice + "/payments")
                        .body()
                        .size())
                .isEqualTo(1);
        assertThat(accountant
                        .get("/api/v1/customers/" + customer + "/balances")
                        .body()
                        .get(0)
                        .path("posted")
                        .path("amount")
                        .asLong())
                .isEqualTo(400_00);
    }

    @Test
    void concurrentPaymentsNeverOverpayAnInvoiceNorOverdrawABalance() throws Exception {
        rule(0, false, 0);
        long customer = customer(CustomerType.COMPANY);
        topUp(customer, 1_000_00);
        long first = order(accountant, customer, product(600_00), 1).id();
        long second = order(accountant, customer, product(600_00), 1).id();

        List<ApiClient.Response> responses = concurrently(40, () -> {
            long invoice = Thread.currentThread().threadId() % 2 == 0 ? first : second;
            return accountant.post(
                    "/api/v1/invoices/" + invoice + "/payments",
                    "{\"method\":\"balance\",\"amount\":" + money(600_00) + "}");
        });

        assertThat(responses.stream().filter(r -> r.status() == 201)).hasSize(1);
        assertThat(responses.stream()
                        .filter(r -> r.status() != 201)
                        .map(ApiClient.Response::problemType)
                        .distinct())
                .isSubsetOf("insufficient-funds", "invoice-not-payable", "amount-exceeds-outstanding");
        assertThat(accountant
                        .get("/api/v1/customers/" + customer + "/balances")
                        .body()
                        .get(0)
                        .path("posted")
                        .path("amount")
                        .asLong())
                .isEqualTo(400_00);
        Function<Long, String> status = id ->
                accountant.get("/api/v1/invoices/" + id).body().path("status").asString();
        assertThat(List.of(status.apply(first), status.apply(second))).containsExactlyInAnyOrder("paid", "issued");
    }
}

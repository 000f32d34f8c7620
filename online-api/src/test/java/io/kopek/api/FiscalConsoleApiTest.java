package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.customer.CustomerType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The console's fiscal pages: the backlog, failed receipts, a failed receipt sent again, the unfiscalized. */
class FiscalConsoleApiTest extends FiscalApiTest {

    /** A paid invoice whose receipt the cash register fails; its receipt id. */
    long aReceiptTheCashRegisterFails() {
        runToTheEnd("fiscalPush"); // earlier tests' receipts go first, so the failure is ours
        runToTheEnd("fiscalStatus");
        rule(0, false, 0);
        long customer = customer(CustomerType.INDIVIDUAL);
        topUp(customer, 1_000_00);
        runToTheEnd("fiscalPush");
        runToTheEnd("fiscalStatus");
        long invoice = order(accountant, customer, product(300_00), 1).id();
        var paid = accountant.post(
                "/api/v1/invoices/" + invoice + "/payments",
                "{\"method\":\"balance\",\"amount\":" + ApiClient.money(300_00) + "}");
        assertThat(paid.status()).as(paid.toString()).isEqualTo(201);
        atol.failNextReceipts(1, "Ошибка ФН: исчерпан ресурс");
        runToTheEnd("fiscalPush");
        runToTheEnd("fiscalStatus");
        JsonNode receipt =
                accountant.get("/api/v1/receipts?invoice_id=" + invoice).body().get(0);
        assertThat(receipt.path("state").asString()).isEqualTo("failed");
        return receipt.path("id").asLong();
    }

    List<JsonNode> allPages(ApiClient as, String path) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            var page = as.get(path + "?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.body().path("data").forEach(all::add);
            cursor = page.body().path("next_cursor").isNull()
                    ? null
                    : page.body().path("next_cursor").asString();
        } while (cursor != null);
        return all;
    }

    @Test
    void aFailedReceiptIsListedWithItsReasonSentAgainAndDone() {
        long id = aReceiptTheCashRegisterFails();

        var failed = allPages(accountant, "/api/v1/fiscal/failed").stream()
                .filter(r -> r.path("receipt_id").asLong() == id)
                .toList();
        assertThat(failed).singleElement().satisfies(r -> {
            assertThat(r.path("state").asString()).isEqualTo("failed");
            assertThat(r.path("kind").asString()).isEqualTo("sell");
            assertThat(r.path("reason").asString()).contains("Ошибка ФН");
            assertThat(r.path("total").path("amount").asLong()).isEqualTo(300_00);
        });
        var backlog = accountant.get("/api/v1/fiscal/backlog").body();
        assertThat(backlog.get(2).path("state").asString()).isEqualTo("failed");
        assertThat(backlog.get(2).path("count").asLong()).isPositive();

        ApiClient operator = as(ApiRole.OPERATOR, null);
        var resent = operator.post("/api/v1/receipts/" + id + "/resend", "{\"reason\":\"the drive was replaced\"}");
        assertThat(resent.status()).as(resent.toString()).isEqualTo(202);
        assertThat(resent.body().path("state").asString()).isEqualTo("pending");
        assertThat(resent.body().path("resends").asInt()).isEqualTo(1);
        String externalId = resent.body().path("external_id").asString();
        runToTheEnd("fiscalPush");
        runToTheEnd("fiscalStatus");

        var done = accountant.get("/api/v1/receipts/" + id).body();
        assertThat(done.path("state").asString()).isEqualTo("done");
        assertThat(done.path("attributes").path("fn_number").asString()).isNotBlank();
        assertThat(atol.registerCalls(externalId)).isEqualTo(1);
        assertThat(allPages(accountant, "/api/v1/fiscal/failed"))
                .noneMatch(r -> r.path("receipt_id").asLong() == id);

        var again = operator.post("/api/v1/receipts/" + id + "/resend", "{}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.problemType()).isEqualTo("receipt-not-failed");
        assertThat(accountant.get("/api/v1/receipts/" + id).body().path("state").asString())
                .isEqualTo("done");
    }

    @Test
    void onlyStaffWhoMayActSendReceiptsAgain() {
        long id = aReceiptTheCashRegisterFails();
        long customer = customer(CustomerType.INDIVIDUAL);

        assertThat(as(ApiRole.CUSTOMER, customer)
                        .post("/api/v1/receipts/" + id + "/resend", "{}")
                        .status())
                .isEqualTo(403);
        assertThat(as(ApiRole.FINANCE, null)
                        .post("/api/v1/receipts/" + id + "/resend", "{}")
                        .status())
                .isEqualTo(403);
        assertThat(new ApiClient(port, null)
                        .post("/api/v1/receipts/" + id + "/resend", "{}")
                        .status())
                .isEqualTo(401);
        assertThat(accountant.post("/api/v1/receipts/999999999/resend", "{}").status())
                .isEqualTo(404);
        var tooLong =
                accountant.post("/api/v1/receipts/" + id + "/resend", "{\"reason\":\"" + "x".repeat(1001) + "\"}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(accountant.get("/api/v1/receipts/" + id).body().path("state").asString())
                .isEqualTo("failed");
        assertThat(accountant.post("/api/v1/receipts/" + id + "/resend", "{}").status())
                .isEqualTo(202);
    }

    @Test
    void paymentsWithoutADoneReceiptAreListedPageByPageUntilFiscalised() {
        rule(0, false, 0);
        long customer = customer(CustomerType.INDIVIDUAL);
        topUp(customer, 700_00);
        topUp(customer, 800_00);
        topUp(customer, 900_00);

        var before = allPages(as(ApiRole.FINANCE, null), "/api/v1/fiscal/unfiscalized");
        var ours = before.stream()
                .filter(u -> List.of(700_00L, 800_00L, 900_00L)
                                .contains(u.path("amount").path("amount").asLong())
                        && u.path("receipt_state").isNull())
                .toList();
        assertThat(before.stream().map(u -> u.path("event_key").asString()).distinct())
                .hasSize(before.size());
        assertThat(ours).hasSizeGreaterThanOrEqualTo(3);
        assertThat(ours)
                .allSatisfy(u -> assertThat(u.path("operation").asString()).isEqualTo("payment"));

        runToTheEnd("fiscalPush");
        runToTheEnd("fiscalStatus");

        var keys = ours.stream().map(u -> u.path("event_key").asString()).toList();
        assertThat(allPages(accountant, "/api/v1/fiscal/unfiscalized"))
                .noneMatch(u -> keys.contains(u.path("event_key").asString()));
        assertThat(accountant.get("/api/v1/fiscal/unfiscalized?cursor=nonsense").status())
                .isEqualTo(422);
    }
}

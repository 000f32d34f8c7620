package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.customer.CustomerType;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InvoicesApiTest extends ApiTest {

    @AfterEach
    void backToNow() {
        clock.set(Instant.now());
    }

    @Test
    void placingAnOrderIssuesItsInvoiceWithVatComputedPerLine() {
        rule(-1_000, false, 0);
        long product = product(1_220_00);
        long customer = customer(CustomerType.INDIVIDUAL);
        clock.set(Instant.parse("2026-03-10T09:00:00Z"));

        var invoice = order(accountant, customer, product, 2);

        assertThat(invoice.status()).isEqualTo(201);
        assertThat(invoice.body().path("status").asString()).isEqualTo("issued");
        assertThat(invoice.body().path("number").asString()).matches("M[A-Z0-9]{6}-2026-000001");
        var line = invoice.body().path("lines").get(0);
        assertThat(line.path("unit_price").path("amount").asLong()).isEqualTo(1_098_00); // 10 % discount
        assertThat(line.path("amount").path("amount").asLong()).isEqualTo(2_196_00);
        assertThat(line.path("vat_rate_bp").asInt()).isEqualTo(2_200);
        assertThat(line.path("vat").path("amount").asLong()).isEqualTo(396_00); // 2196 * 22 / 122
        assertThat(invoice.amount("total")).isEqualTo(2_196_00);
        assertThat(invoice.amount("vat_total")).isEqualTo(396_00);
        assertThat(invoice.body().path("total").path("currency").asString()).isEqualTo("RUB");
        assertThat(invoice.body().path("due_date").asString()).isEqualTo("2026-03-24");
    }

    @Test
    void anInvoiceDatedIn2025ChargesTheTwentyPercentRate() {
        rule(0, false, 0);
        long product = product(1_000_01);
        clock.set(Instant.parse("2025-12-31T21:30:00Z")); // still 2025-12-31 in UTC, 00:30 on 2026-01-01 in Moscow
        long customer = customer(CustomerType.COMPANY);

        var january = order(accountant, customer, product, 1);
        clock.set(Instant.parse("2025-12-31T12:00:00Z"));
        var december = order(accountant, customer, product, 1);

        assertThat(january.body().path("issue_date").asString()).isEqualTo("2026-01-01");
        assertThat(january.body().path("lines").get(0).path("vat_rate_bp").asInt())
                .isEqualTo(2_200);
        assertThat(january.amount("vat_total")).isEqualTo(180_33); // 1000.01 * 22 / 122 = 180.329...
        assertThat(december.body().path("issue_date").asString()).isEqualTo("2025-12-31");
        assertThat(december.body().path("lines").get(0).path("vat_rate_bp").asInt())
                .isEqualTo(2_000);
        assertThat(december.amount("vat_total")).isEqualTo(166_67); // 1000.01 * 20 / 120 = 166.668...
        assertThat(december.body().path("number").asString()).endsWith("-2025-000001");
    }

    @Test
    void invoiceNumbersHaveNoGapsEvenWhenAnOrderFails() {
        rule(0, false, 0);
        long product = product(100_00);
        long customer = customer(CustomerType.COMPANY);

        var first = order(accountant, customer, product, 1);
        var failed = accountant.post(
                "/api/v1/orders",
                "{\"customer_id\":" + customer + ",\"items\":[{\"product_id\":" + product
                        + ",\"quantity\":1},{\"product_id\":999999999,\"quantity\":1}]}");
        var second = order(accountant, customer, product, 1);

        assertThat(failed.status()).isEqualTo(422);
        assertThat(failed.problemType()).isEqualTo("unknown-product");
        String prefix = first.body()
                .path("number")
                .asString()
                .substring(0, first.body().path("number").asString().length() - 6);
        assertThat(first.body().path("number").asString()).isEqualTo(prefix + "000001");
        assertThat(second.body().path("number").asString()).isEqualTo(prefix + "000002");
    }

    @Test
    void anOrderWithoutARuleForItsCategoryIsRefused() {
        long product = product(100_00);
        var response = order(accountant, customer(CustomerType.COMPANY), product, 1);

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.problemType()).isEqualTo("no-billing-rule");
        assertThat(response.raw().headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void badFieldsAreListedOneByOne() {
        var response = accountant.post(
                "/api/v1/orders", "{\"customer_id\":1,\"items\":[{\"product_id\":null,\"quantity\":-1}]}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.problemType()).isEqualTo("validation");
        assertThat(response.body().path("errors").toString())
                .contains("items[0].product_id")
                .contains("items[0].quantity");
    }

    @Test
    void anOrderOfMoreThanAHundredItemsIsRefusedBeforeAnythingIsPriced() {
        String item = "{\"product_id\":1,\"quantity\":1}";
        String items = String.join(",", java.util.Collections.nCopies(101, item));

        var response = accountant.post("/api/v1/orders", "{\"customer_id\":1,\"items\":[" + items + "]}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.problemType()).isEqualTo("validation");
        assertThat(response.body().path("errors").toString()).contains("\"items\"");
    }

    @Test
    void absurdQuantitiesAreRefusedNotOverflowed() {
        rule(0, false, 0);
        long product = product(100_00);
        long customer = customer(CustomerType.COMPANY);

        var tooMany = order(accountant, customer, product, 100_000_000); // ATOL v5 takes at most 99999999
        var tooFine = accountant.post(
                "/api/v1/orders",
                "{\"customer_id\":" + customer + ",\"items\":[{\"product_id\":" + product
                        + ",\"quantity\":0.0000001}]}");
        var tooExpensive = order(accountant, customer, product(Long.MAX_VALUE / 10), 99_999_999);
        var mostOfAll = order(accountant, customer, product, 99_999_999);

        assertThat(tooMany.problemType()).isEqualTo("invalid-quantity");
        assertThat(tooFine.problemType()).isEqualTo("invalid-quantity");
        assertThat(tooExpensive.problemType()).isEqualTo("amount-too-large");
        assertThat(mostOfAll.status()).isEqualTo(201);
    }

    @Test
    void aQuantityHasUpToSixDecimalsAsOnAReceipt() {
        rule(0, false, 0);
        long product = product(1_000_00);
        long customer = customer(CustomerType.COMPANY);

        var weighed = accountant.post(
                "/api/v1/orders",
                "{\"customer_id\":" + customer + ",\"items\":[{\"product_id\":" + product
                        + ",\"quantity\":1.234567}]}");

        assertThat(weighed.status()).isEqualTo(201);
        assertThat(weighed.body().path("lines").get(0).path("quantity").decimalValue())
                .isEqualByComparingTo("1.234567");
        assertThat(weighed.amount("total")).isEqualTo(1_234_57); // 1000.00 * 1.234567, half up
    }

    @Test
    void anAmountBeyondTheMaximumIsRefusedNamingItsField() {
        long customer = customer(CustomerType.COMPANY);

        var topUp = accountant.post(
                "/api/v1/customers/" + customer + "/top-ups",
                "{\"amount\":{\"amount\":1000000000001,\"currency\":\"RUB\"},\"reference\":\"PP-1\"}");

        assertThat(topUp.status()).isEqualTo(400);
        assertThat(topUp.problemType()).isEqualTo("validation");
        assertThat(topUp.body().path("errors").get(0).path("field").asString()).isEqualTo("amount.amount");
    }

    @Test
    void oneOrderReferenceGivesOneInvoice() {
        rule(0, false, 0);
        long product = product(100_00);
        long customer = customer(CustomerType.COMPANY);
        String body = "{\"customer_id\":" + customer + ",\"order_ref\":\"ORD-1\",\"items\":[{\"product_id\":" + product
                + ",\"quantity\":1}]}";

        assertThat(accountant.post("/api/v1/orders", body).status()).isEqualTo(201);
        var again = accountant.post("/api/v1/orders", body);

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.problemType()).isEqualTo("order-already-invoiced");
    }

    @Test
    void anOrderReferenceGivenByACustomerIsThatCustomersOwn() {
        rule(0, false, 0);
        long product = product(100_00);
        ApiClient anna = as(ApiRole.CUSTOMER, customer(CustomerType.INDIVIDUAL));
        ApiClient boris = as(ApiRole.CUSTOMER, customer(CustomerType.INDIVIDUAL));
        String body = "{\"order_ref\":\"CART-1\",\"items\":[{\"product_id\":" + product + ",\"quantity\":1}]}";

        var annas = anna.post("/api/v1/orders", body);
        var boriss = boris.post("/api/v1/orders", body);
        var annasAgain = anna.post("/api/v1/orders", body);

        assertThat(annas.status()).isEqualTo(201);
        assertThat(boriss.status()).isEqualTo(201);
        assertThat(annasAgain.status()).isEqualTo(409);
        assertThat(annasAgain.problemType()).isEqualTo("order-already-invoiced");
        assertThat(annasAgain.body().path("detail").asString())
                .contains(annas.body().path("number").asString());
    }

    @Test
    void aRepeatedMerchantOrderReferenceNeverNamesAnotherCustomersInvoice() {
        rule(0, false, 0);
        long product = product(100_00);
        long anna = customer(CustomerType.INDIVIDUAL);
        long boris = customer(CustomerType.INDIVIDUAL);
        String items = ",\"order_ref\":\"CRM-7\",\"items\":[{\"product_id\":" + product + ",\"quantity\":1}]}";

        var annas = accountant.post("/api/v1/orders", "{\"customer_id\":" + anna + items);
        var forBoris = accountant.post("/api/v1/orders", "{\"customer_id\":" + boris + items);
        var borisOwn = as(ApiRole.CUSTOMER, boris).post("/api/v1/orders", "{\"customer_id\":" + boris + items);

        assertThat(annas.status()).isEqualTo(201);
        assertThat(forBoris.status()).isEqualTo(409);
        assertThat(forBoris.problemType()).isEqualTo("order-already-invoiced");
        assertThat(forBoris.raw().body())
                .doesNotContain(annas.body().path("number").asString());
        assertThat(borisOwn.status()).isEqualTo(201); // Boris's own numbering is not the merchant's
    }

    @Test
    void concurrentOrdersWithOneReferenceIssueOneInvoice() throws Exception {
        rule(0, false, 0);
        long product = product(100_00);
        ApiClient anna = as(ApiRole.CUSTOMER, customer(CustomerType.INDIVIDUAL));
        String body = "{\"order_ref\":\"CART-9\",\"items\":[{\"product_id\":" + product + ",\"quantity\":1}]}";

        var answers = IdempotencyApiTest.concurrently(10, () -> anna.post("/api/v1/orders", body));

        assertThat(answers.stream().filter(r -> r.status() == 201)).hasSize(1);
        assertThat(answers.stream().filter(r -> r.status() != 201))
                .allMatch(r -> r.status() == 409 && r.problemType().equals("order-already-invoiced"));
    }

    @Test
    void invoicesAreFilteredAndPagedWithACursor() {
        rule(0, false, 0);
        long product = product(10_00);
        long customer = customer(CustomerType.COMPANY);
        for (int i = 0; i < 3; i++) {
            order(accountant, customer, product, i + 1);
        }

        var first = accountant.get("/api/v1/invoices?customer_id=" + customer + "&limit=2");
        var second = accountant.get("/api/v1/invoices?customer_id=" + customer + "&limit=2&cursor="
                + first.body().path("next_cursor").asString());
        var issued = accountant.get("/api/v1/invoices?customer_id=" + customer + "&status=issued&limit=10");
        var paid = accountant.get("/api/v1/invoices?customer_id=" + customer + "&status=paid");

        assertThat(first.body().path("data").size()).isEqualTo(2);
        assertThat(second.body().path("data").size()).isEqualTo(1);
        assertThat(second.body().path("next_cursor").isNull()).isTrue();
        assertThat(second.body()
                        .path("data")
                        .get(0)
                        .path("total")
                        .path("amount")
                        .asLong())
                .isEqualTo(30_00);
        assertThat(issued.body().path("data").size()).isEqualTo(3);
        assertThat(paid.body().path("data").size()).isZero();
        assertThat(accountant.get("/api/v1/invoices?status=lost").problemType()).isEqualTo("invalid-status");
    }

    @Test
    void cancellingAnUnpaidInvoiceReversesItsLedgerPostings() {
        rule(0, false, 0);
        long customer = customer(CustomerType.COMPANY);
        var invoice = order(accountant, customer, product(500_00), 1);

        var cancelled = accountant.post("/api/v1/invoices/" + invoice.id() + "/cancel", "{}");
        var receivable = accountant.get("/api/v1/ledger/accounts/customer:" + customer + ":receivable:RUB");
        var entries = accountant.get("/api/v1/ledger/accounts/customer:" + customer + ":receivable:RUB/entries");

        assertThat(cancelled.body().path("status").asString()).isEqualTo("cancelled");
        assertThat(receivable.amount("posted")).isZero();
        assertThat(entries.body().path("data").size()).isEqualTo(2);
        assertThat(entries.body().path("data").get(1).path("kind").asString()).isEqualTo("invoice_cancelled");
        var again = accountant.post("/api/v1/invoices/" + invoice.id() + "/cancel", "{}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.problemType()).isEqualTo("invalid-invoice-transition");
    }

    @Test
    void aPaidInvoiceCannotBeCancelled() {
        rule(0, false, 0);
        long customer = customer(CustomerType.COMPANY);
        var invoice = order(accountant, customer, product(500_00), 1);
        accountant.post(
                "/api/v1/invoices/" + invoice.id() + "/payments",
                "{\"method\":\"bank_transfer\",\"amount\":" + ApiClient.money(500_00) + ",\"reference\":\"PP-77\"}");

        var cancel = accountant.post("/api/v1/invoices/" + invoice.id() + "/cancel", "{}");

        assertThat(cancel.status()).isEqualTo(409);
        assertThat(cancel.problemType()).isEqualTo("invalid-invoice-transition");
        assertThat(cancel.body().path("detail").asString()).contains("paid");
    }

    @Test
    void unpaidInvoicesPastTheirDueDateBecomeOverdueAndCanStillBePaid() {
        rule(0, false, 0);
        long customer = customer(CustomerType.COMPANY);
        var invoice = order(accountant, customer, product(500_00), 1);
        clock.set(Instant.now().plus(java.time.Duration.ofDays(20)));

        var job = as(ApiRole.OPERATOR, null).post("/api/v1/jobs/overdue-invoices", "{}");
        var overdue = accountant.get("/api/v1/invoices/" + invoice.id());
        var paid = accountant.post(
                "/api/v1/invoices/" + invoice.id() + "/payments",
                "{\"method\":\"bank_transfer\",\"amount\":" + ApiClient.money(500_00) + ",\"reference\":\"PP-78\"}");

        assertThat(job.body().path("overdue").asInt()).isPositive();
        assertThat(overdue.body().path("status").asString()).isEqualTo("overdue");
        assertThat(paid.status()).isEqualTo(201);
        assertThat(accountant
                        .get("/api/v1/invoices/" + invoice.id())
                        .body()
                        .path("status")
                        .asString())
                .isEqualTo("paid");
    }

    @Test
    void ruleChangesNeverRewriteIssuedInvoices() {
        long ruleId = rule(0, false, 0);
        long product = product(100_00);
        long customer = customer(CustomerType.COMPANY);
        var before = order(accountant, customer, product, 1);
        var finance = as(ApiRole.FINANCE, null);
        String today =
                java.time.LocalDate.now(java.time.ZoneId.of("Europe/Moscow")).toString();
        String tomorrow = java.time.LocalDate.parse(today).plusDays(1).toString();

        var overlapping = finance.post(
                "/api/v1/rules",
                "{\"category\":\"" + category + "\",\"customer_type\":\"*\"," + "\"valid_from\":\"" + tomorrow
                        + "\",\"vat_code\":\"standard\",\"payment_methods\":[\"balance\"]}");
        var retroactive = finance.post("/api/v1/rules/" + ruleId + "/close", "{\"last_day\":\"2020-06-01\"}");
        var closed = finance.post("/api/v1/rules/" + ruleId + "/close", "{\"last_day\":\"" + today + "\"}");
        var discount = finance.post(
                "/api/v1/rules",
                "{\"category\":\"" + category + "\",\"customer_type\":\"*\","
                        + "\"valid_from\":\"" + tomorrow + "\",\"vat_code\":\"standard\",\"price_adjustment_bp\":-5000,"
                        + "\"payment_methods\":[\"balance\"]}");
        clock.set(Instant.now().plus(java.time.Duration.ofDays(1)));
        var after = order(accountant, customer, product, 1);

        assertThat(overlapping.status()).isEqualTo(409);
        assertThat(overlapping.problemType()).isEqualTo("rule-overlap");
        assertThat(retroactive.problemType()).isEqualTo("invalid-period");
        assertThat(closed.status()).isEqualTo(200);
        assertThat(discount.status()).isEqualTo(201);
        assertThat(after.amount("total")).isEqualTo(50_00);
        var unchanged = accountant.get("/api/v1/invoices/" + before.id());
        assertThat(unchanged.amount("total")).isEqualTo(100_00);
        assertThat(unchanged.body().path("lines").get(0).path("rule_id").asLong())
                .isEqualTo(ruleId);
        assertThat(after.body().path("lines").get(0).path("rule_id").asLong()).isEqualTo(discount.id());
    }
}

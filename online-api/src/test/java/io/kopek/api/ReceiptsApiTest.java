package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.customer.CustomerType;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Receipts of invoices, with their state and fiscal attributes, after the fiscal jobs ran. */
class ReceiptsApiTest extends FiscalApiTest {

    @Test
    void aPaidInvoiceShowsItsDoneReceiptWithFiscalAttributes() {
        rule(0, false, 0);
        long customer = customer(CustomerType.INDIVIDUAL);
        topUp(customer, 5_000_00);
        long invoice = order(accountant, customer, product(1_220_00), 2).id();
        var paid = accountant.post(
                "/api/v1/invoices/" + invoice + "/payments",
                "{\"method\":\"balance\",\"amount\":" + ApiClient.money(2_440_00) + "}");
        assertThat(paid.status()).as(paid.toString()).isEqualTo(201);
        assertThat(runToTheEnd("fiscalPush").status()).isEqualTo("COMPLETED");
        assertThat(runToTheEnd("fiscalStatus").status()).isEqualTo("COMPLETED");

        var list = accountant.get("/api/v1/receipts?invoice_id=" + invoice);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().size()).isEqualTo(1);
        JsonNode receipt = list.body().get(0);
        assertThat(receipt.path("kind").asString()).isEqualTo("sell");
        assertThat(receipt.path("state").asString()).isEqualTo("done");
        assertThat(receipt.path("document").path("total").asLong()).isEqualTo(2_440_00);
        JsonNode attributes = receipt.path("attributes");
        assertThat(attributes.path("fn_number").asString()).isNotBlank();
        assertThat(attributes.path("fiscal_document_number").asLong()).isPositive();
        assertThat(attributes.path("fiscal_document_attribute").asString()).isNotBlank();
        assertThat(attributes.path("registered_at").asString()).isNotBlank();

        var one = as(ApiRole.FINANCE, null)
                .get("/api/v1/receipts/" + receipt.path("id").asLong());
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.body().path("attributes").path("fn_number").asString())
                .isEqualTo(attributes.path("fn_number").asString());
    }

    @Test
    void aCustomerSeesItsOwnReceiptsAndNoOneElses() {
        rule(0, false, 0);
        long mine = customer(CustomerType.INDIVIDUAL);
        long theirs = customer(CustomerType.INDIVIDUAL);
        topUp(mine, 1_000_00);
        topUp(theirs, 1_000_00);
        long myInvoice = payFromBalance(mine);
        long theirInvoice = payFromBalance(theirs);
        runToTheEnd("fiscalPush");

        ApiClient me = as(ApiRole.CUSTOMER, mine);
        var own = me.get("/api/v1/receipts?invoice_id=" + myInvoice);
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.body().size()).isEqualTo(1);
        assertThat(me.get("/api/v1/receipts/" + own.body().get(0).path("id").asLong())
                        .status())
                .isEqualTo(200);

        assertThat(me.get("/api/v1/receipts?invoice_id=" + theirInvoice).status())
                .isEqualTo(404);
        long theirReceipt = accountant
                .get("/api/v1/receipts?invoice_id=" + theirInvoice)
                .body()
                .get(0)
                .path("id")
                .asLong();
        assertThat(me.get("/api/v1/receipts/" + theirReceipt).status()).isEqualTo(404);
    }

    @Test
    void anAccountantIssuesACorrectionReceiptOncePerKeyAndItIsFiscalised() {
        long customer = customer(CustomerType.INDIVIDUAL);
        // base 36: a run of 13-19 decimal digits could be a Luhn-valid card number, which the API refuses
        String key = "ACT-" + Long.toString(System.nanoTime(), 36);
        String correction = """
                {"key":"%s","customer_id":%d,
                 "items":[{"name":"Подписка на месяц","price":122000,"quantity":1,"payment_method":"full_payment",
                           "payment_object":4,"vat":"vat22"}],
                 "payments":[{"type":1,"sum":122000}],
                 "vat_date":"2026-03-02",
                 "basis":{"type":"self","base_date":"2026-03-02","base_number":"%s"}}""".formatted(key, customer, key);

        var first = accountant.post("/api/v1/receipts/corrections", correction);
        var again = accountant.post("/api/v1/receipts/corrections", correction);
        var byCustomer = as(ApiRole.CUSTOMER, customer).post("/api/v1/receipts/corrections", correction);
        runToTheEnd("fiscalPush");
        runToTheEnd("fiscalStatus");

        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.body().path("kind").asString()).isEqualTo("sell_correction");
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(byCustomer.status()).isEqualTo(403);
        var done = accountant.get("/api/v1/receipts/" + first.id()).body();
        assertThat(done.path("state").asString()).isEqualTo("done");
        assertThat(done.path("document").path("items").get(0).path("vat_sum").asLong())
                .as("22 %% included in 1 220.00")
                .isEqualTo(22_000);
    }

    @Test
    void aCorrectionCannotNameAnotherCustomersInvoice() {
        rule(0, false, 0);
        long owner = customer(CustomerType.INDIVIDUAL);
        long other = customer(CustomerType.INDIVIDUAL);
        long invoice = order(accountant, owner, product(100_00), 1).id();

        var refused = accountant.post(
                "/api/v1/receipts/corrections", """
                {"key":"ACT-%s","customer_id":%d,"invoice_id":%d,
                 "items":[{"name":"x","price":100,"quantity":1,"payment_method":"full_payment","payment_object":4,
                           "vat":"vat22"}],
                 "payments":[{"type":1,"sum":100}],"vat_date":"2026-03-02",
                 "basis":{"type":"self","base_date":"2026-03-02"}}""".formatted(Long.toString(System.nanoTime(), 36), other, invoice));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.problemType()).isEqualTo("invoice-of-another-customer");
        assertThat(accountant
                        .get("/api/v1/receipts?invoice_id=" + invoice)
                        .body()
                        .size())
                .isZero();
    }

    @Test
    void aCorrectionWithAnUnknownVatTypeIsRefusedByField() {
        long customer = customer(CustomerType.INDIVIDUAL);

        var refused = accountant.post("/api/v1/receipts/corrections", """
                {"key":"ACT-1","customer_id":%d,
                 "items":[{"name":"x","price":100,"quantity":1,"payment_method":"full_payment","payment_object":4,
                           "vat":"vat99"}],
                 "payments":[{"type":1,"sum":100}],"vat_date":"2026-03-02",
                 "basis":{"type":"self","base_date":"2026-03-02"}}""".formatted(customer));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.problemType()).isEqualTo("invalid-vat");
    }

    private long payFromBalance(long customer) {
        var invoice = order(accountant, customer, product(100_00), 1);
        var paid = accountant.post(
                "/api/v1/invoices/" + invoice.id() + "/payments",
                "{\"method\":\"balance\",\"amount\":" + ApiClient.money(100_00) + "}");
        assertThat(paid.status()).as(paid.toString()).isEqualTo(201);
        return invoice.id();
    }
}

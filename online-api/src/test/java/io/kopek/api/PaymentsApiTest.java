package io.kopek.api;

import static io.kopek.api.ApiClient.money;
import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.customer.CustomerType;
import org.junit.jupiter.api.Test;

class PaymentsApiTest extends ApiTest {

    ApiClient.Response payFromBalance(ApiClient as, long invoiceId, long kopecks) {
        return as.post(
                "/api/v1/invoices/" + invoiceId + "/payments",
                "{\"method\":\"balance\",\"amount\":" + money(kopecks) + "}");
    }

    ApiClient.Response balance(long customerId) {
        return accountant.get("/api/v1/customers/" + customerId + "/balances");
    }

    @Test
    void aCustomerPaysFromItsPrepaidBalance() {
        rule(0, false, 0);
        long customer = customer(CustomerType.INDIVIDUAL);
        topUp(customer, 3_000_00);
        var invoice = order(accountant, customer, product(2_196_00), 1);
        var self = as(ApiRole.CUSTOMER, customer);

        var partial = payFromBalance(self, invoice.id(), 1_000_00);
        var afterPartial = self.get("/api/v1/invoices/" + invoice.id());
        var rest = payFromBalance(self, invoice.id(), 1_196_00);

        assertThat(partial.status()).isEqualTo(201);
        assertThat(partial.body().path("method").asString()).isEqualTo("balance");
        assertThat(afterPartial.body().path("status").asString()).isEqualTo("partially_paid");
        assertThat(afterPartial.amount("outstanding")).isEqualTo(1_196_00);
        assertThat(rest.status()).isEqualTo(201);
        assertThat(self.get("/api/v1/invoices/" + invoice.id())
                        .body()
                        .path("status")
                        .asString())
                .isEqualTo("paid");
        assertThat(balance(customer).body().get(0).path("posted").path("amount").asLong())
                .isEqualTo(804_00);
    }

    @Test
    void aBalanceCannotGoNegativeWithoutCredit() {
        rule(0, false, 0);
        long customer = customer(CustomerType.COMPANY);
        topUp(customer, 100_00);
        var invoice = order(accountant, customer, product(150_00), 1);

        var refused = payFromBalance(accountant, invoice.id(), 150_00);

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.problemType()).isEqualTo("insufficient-funds");
        assertThat(refused.body().path("available").path("amount").asLong()).isEqualTo(100_00);
        assertThat(balance(customer).body().get(0).path("posted").path("amount").asLong())
                .isEqualTo(100_00);
        assertThat(accountant
                        .get("/api/v1/invoices/" + invoice.id())
                        .body()
                        .path("status")
                        .asString())
                .isEqualTo("issued");
    }

    @Test
    void aRuleWithCreditLetsTheBalanceGoNegativeUpToItsLimit() {
        rule(0, false, 1_000_00);
        long customer = customer(CustomerType.COMPANY);
        var small = order(accountant, customer, product(600_00), 1);
        var big = order(accountant, customer, product(600_00), 1);

        assertThat(payFromBalance(accountant, small.id(), 600_00).status()).isEqualTo(201);
        var overLimit = payFromBalance(accountant, big.id(), 600_00);

        assertThat(balance(customer)
                        .body()
                        .get(0)
                        .path("available")
                        .path("amount")
                        .asLong())
                .isEqualTo(-600_00);
        assertThat(overLimit.status()).isEqualTo(422);
        assertThat(overLimit.problemType()).isEqualTo("insufficient-funds");
    }

    @Test
    void productsThatHoldFirstCannotBePaidDirectlyFromTheBalance() {
        rule(0, true, 0);
        long customer = customer(CustomerType.COMPANY);
        topUp(customer, 1_000_00);
        var invoice = order(accountant, customer, product(100_00), 1);

        var response = payFromBalance(accountant, invoice.id(), 100_00);

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.problemType()).isEqualTo("hold-required");
    }

    @Test
    void anAccountantRecordsBankTransfersWithTheirReference() {
        rule(0, false, 0);
        long customer = customer(CustomerType.COMPANY);
        var invoice = order(accountant, customer, product(700_00), 1);
        String path = "/api/v1/invoices/" + invoice.id() + "/payments";

        var noReference = accountant.post(path, "{\"method\":\"bank_transfer\",\"amount\":" + money(700_00) + "}");
        var tooMuch = accountant.post(
                path, "{\"method\":\"bank_transfer\",\"amount\":" + money(700_01) + ",\"reference\":\"PP-1\"}");
        var byCustomer = as(ApiRole.CUSTOMER, customer)
                .post(path, "{\"method\":\"bank_transfer\",\"amount\":" + money(700_00) + ",\"reference\":\"PP-1\"}");
        var paid = accountant.post(
                path, "{\"method\":\"bank_transfer\",\"amount\":" + money(700_00) + ",\"reference\":\"PP-1\"}");

        assertThat(noReference.problemType()).isEqualTo("reference-required");
        assertThat(tooMuch.problemType()).isEqualTo("amount-exceeds-outstanding");
        assertThat(byCustomer.status()).isEqualTo(403);
        assertThat(paid.status()).isEqualTo(201);
        assertThat(paid.body().path("reference").asString()).isEqualTo("PP-1");
        assertThat(accountant.get(path).body().size()).isEqualTo(1);
        assertThat(accountant.get("/api/v1/ledger/accounts/bank:RUB").amount("posted"))
                .isPositive();
    }

    @Test
    void refundsReturnMoneyWhereItCameFromAndVatExactly() {
        rule(0, false, 0);
        long customer = customer(CustomerType.COMPANY);
        topUp(customer, 1_000_00);
        var invoice = order(accountant, customer, product(333_33), 3); // 999.99, VAT 22/122 = 180.33
        payFromBalance(accountant, invoice.id(), 999_99);
        long vatBefore =
                accountant.get("/api/v1/ledger/accounts/vat:payable:RUB").amount("posted");
        String refunds = "/api/v1/invoices/" + invoice.id() + "/refunds";

        var partial = accountant.post(refunds, "{\"amount\":" + money(333_33) + ",\"reason\":\"one returned\"}");
        var partialStatus = accountant
                .get("/api/v1/invoices/" + invoice.id())
                .body()
                .path("status")
                .asString();
        var tooMuch = accountant.post(refunds, "{\"amount\":" + money(666_67) + "}");
        var rest = accountant.post(refunds, "{\"amount\":" + money(666_66) + "}");
        long vatAfter =
                accountant.get("/api/v1/ledger/accounts/vat:payable:RUB").amount("posted");

        assertThat(partial.status()).isEqualTo(201);
        assertThat(partialStatus).isEqualTo("partially_refunded");
        assertThat(tooMuch.problemType()).isEqualTo("amount-exceeds-refundable");
        assertThat(rest.status()).isEqualTo(201);
        assertThat(accountant
                        .get("/api/v1/invoices/" + invoice.id())
                        .body()
                        .path("status")
                        .asString())
                .isEqualTo("refunded");
        assertThat(vatBefore - vatAfter).isEqualTo(invoice.amount("vat_total"));
        assertThat(balance(customer).body().get(0).path("posted").path("amount").asLong())
                .isEqualTo(1_000_00);
        assertThat(accountant.get(refunds).body().size()).isEqualTo(2);
    }

    @Test
    void onlyPaidInvoicesAreRefunded() {
        rule(0, false, 0);
        long customer = customer(CustomerType.COMPANY);
        var invoice = order(accountant, customer, product(100_00), 1);

        var refund =
                accountant.post("/api/v1/invoices/" + invoice.id() + "/refunds", "{\"amount\":" + money(100) + "}");

        assertThat(refund.status()).isEqualTo(409);
        assertThat(refund.problemType()).isEqualTo("invoice-not-refundable");
    }

    @Test
    void amountsAreIntegerMinorUnitsWithACurrency() {
        rule(0, false, 0);
        long customer = customer(CustomerType.COMPANY);
        var invoice = order(accountant, customer, product(100_00), 1);

        var fractional = accountant.post(
                "/api/v1/invoices/" + invoice.id() + "/payments",
                "{\"method\":\"bank_transfer\",\"amount\":{\"amount\":10.5,\"currency\":\"RUB\"},\"reference\":\"x\"}");
        var wrongCurrency = accountant.post(
                "/api/v1/invoices/" + invoice.id() + "/payments",
                "{\"method\":\"bank_transfer\",\"amount\":{\"amount\":100,\"currency\":\"USD\"},\"reference\":\"x\"}");
        var badCode = accountant.post(
                "/api/v1/invoices/" + invoice.id() + "/payments",
                "{\"method\":\"bank_transfer\",\"amount\":{\"amount\":100,\"currency\":\"rub\"},\"reference\":\"x\"}");

        assertThat(fractional.status()).isEqualTo(400);
        assertThat(wrongCurrency.problemType()).isEqualTo("currency-mismatch");
        assertThat(badCode.problemType()).isEqualTo("validation");
        assertThat(badCode.body().path("errors").toString()).contains("amount.currency");
    }
}

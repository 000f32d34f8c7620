package io.kopek.api;

import static io.kopek.api.ApiClient.money;
import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.customer.CustomerType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Merchants, products, customers, billing rules and VAT rates over HTTP, with their refusals. */
class CatalogApiTest extends ApiTest {

    @Test
    void merchantsHaveUniqueCodes() {
        String code = "X"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();

        var created = admin.post(
                "/api/v1/merchants", "{\"code\":\"" + code + "\",\"name\":\"X LLC\",\"inn\":\"7700000009\"}");
        var again = admin.post("/api/v1/merchants", "{\"code\":\"" + code + "\",\"name\":\"X LLC\"}");
        var badCode = admin.post("/api/v1/merchants", "{\"code\":\"x-1\",\"name\":\"X\"}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(again.problemType()).isEqualTo("merchant-exists");
        assertThat(badCode.problemType()).isEqualTo("validation");
        assertThat(accountant.get("/api/v1/merchants").body().toString()).contains(code);
    }

    static final String BANK_DETAILS = "{\"legal_name\":\"ООО «Ромашка»\",\"kpp\":\"770101001\","
            + "\"settlement_account\":\"40702810900000054321\",\"bank_name\":\"АО «Тестовый банк»\","
            + "\"bik\":\"044525905\",\"correspondent_account\":\"30101810745250000905\"}";

    static String merchantCode() {
        return "B"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
    }

    @Test
    void aMerchantWithBankDetailsShowsThemAndOneWithoutShowsNone() {
        String code = merchantCode();

        var created = admin.post(
                "/api/v1/merchants",
                "{\"code\":\"" + code + "\",\"name\":\"Romashka\",\"inn\":\"7701234560\",\"bank_details\":"
                        + BANK_DETAILS + "}");
        var without = admin.post("/api/v1/merchants", "{\"code\":\"" + merchantCode() + "\",\"name\":\"Old\"}");
        var listed = accountant.get("/api/v1/merchants").body();

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        var details = created.body().path("bank_details");
        assertThat(details.path("legal_name").asString()).isEqualTo("ООО «Ромашка»");
        assertThat(details.path("kpp").asString()).isEqualTo("770101001");
        assertThat(details.path("settlement_account").asString()).isEqualTo("40702810900000054321");
        assertThat(details.path("bank_name").asString()).isEqualTo("АО «Тестовый банк»");
        assertThat(details.path("bik").asString()).isEqualTo("044525905");
        assertThat(details.path("correspondent_account").asString()).isEqualTo("30101810745250000905");
        assertThat(without.status()).isEqualTo(201);
        assertThat(without.body().path("bank_details").isNull()).isTrue();
        boolean found = false;
        for (var m : listed) {
            if (m.path("code").asString().equals(code)) {
                found = true;
                assertThat(m.path("bank_details")).isEqualTo(details);
            }
        }
        assertThat(found).as("listed").isTrue();
    }

    @Test
    void aWrongInnOrAccountIsA400NamingTheField() {
        var badInn = admin.post(
                "/api/v1/merchants",
                "{\"code\":\"" + merchantCode() + "\",\"name\":\"X\",\"inn\":\"7701234561\",\"bank_details\":"
                        + BANK_DETAILS + "}");
        var badAccount = admin.post(
                "/api/v1/merchants",
                "{\"code\":\"" + merchantCode() + "\",\"name\":\"X\",\"inn\":\"7701234560\",\"bank_details\":"
                        + BANK_DETAILS.replace("40702810900000054321", "40702810000000054321") + "}");
        var soleProprietorWithKpp = admin.post(
                "/api/v1/merchants",
                "{\"code\":\"" + merchantCode() + "\",\"name\":\"X\",\"inn\":\"500100732259\",\"bank_details\":"
                        + BANK_DETAILS + "}");

        assertThat(badInn.problemType()).isEqualTo("validation");
        assertThat(fields(badInn)).containsExactly("inn");
        assertThat(badInn.body().path("errors").toString()).contains("check digits");
        assertThat(badAccount.problemType()).isEqualTo("validation");
        assertThat(fields(badAccount)).containsExactly("bank_details.settlement_account");
        assertThat(badAccount.body().path("errors").toString()).contains("control key");
        assertThat(fields(soleProprietorWithKpp)).containsExactly("bank_details.kpp");
    }

    @Test
    void aMerchantWithoutBankDetailsIsGivenThem() {
        long id = admin.post("/api/v1/merchants", "{\"code\":\"" + merchantCode() + "\",\"name\":\"Old\"}")
                .id();

        var set = admin.post(
                "/api/v1/merchants/" + id + "/bank-details",
                "{\"inn\":\"7701234560\",\"bank_details\":" + BANK_DETAILS + "}");
        var wrong = admin.post(
                "/api/v1/merchants/" + id + "/bank-details",
                "{\"inn\":\"7701234560\",\"bank_details\":" + BANK_DETAILS.replace("044525905", "044525906") + "}");
        var none = admin.post("/api/v1/merchants/" + id + "/bank-details", "{\"inn\":\"7701234560\"}");

        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.body().path("inn").asString()).isEqualTo("7701234560");
        assertThat(set.body().path("bank_details").path("bik").asString()).isEqualTo("044525905");
        assertThat(fields(wrong))
                .containsExactlyInAnyOrder("bank_details.settlement_account", "bank_details.correspondent_account");
        assertThat(fields(none)).containsExactly("bank_details");
        assertThat(admin.post(
                                "/api/v1/merchants/999999999/bank-details",
                                "{\"inn\":\"7701234560\",\"bank_details\":" + BANK_DETAILS + "}")
                        .status())
                .isEqualTo(404);
    }

    private static java.util.List<String> fields(ApiClient.Response response) {
        java.util.List<String> fields = new java.util.ArrayList<>();
        response.body().path("errors").forEach(e -> fields.add(e.path("field").asString()));
        return fields;
    }

    @Test
    void productsAreCreatedReadAndPaged() {
        String body = "{\"merchant_id\":" + merchantId + ",\"sku\":\"S-1\",\"name\":\"Thing\",\"category\":\""
                + category + "\",\"unit_price\":" + money(99_90) + ",\"measure\":\"kg\"}";

        var created = accountant.post("/api/v1/products", body);
        var duplicate = accountant.post("/api/v1/products", body);
        var unknownMerchant = accountant.post(
                "/api/v1/products", body.replace("\"merchant_id\":" + merchantId, "\"merchant_id\":999999999"));
        var negative =
                accountant.post("/api/v1/products", body.replace("S-1", "S-2").replace("9990", "-1"));
        var read = as(ApiRole.CUSTOMER, customer(CustomerType.INDIVIDUAL)).get("/api/v1/products/" + created.id());
        var page = accountant.get("/api/v1/products?limit=1");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.amount("unit_price")).isEqualTo(99_90);
        assertThat(duplicate.problemType()).isEqualTo("product-exists");
        assertThat(unknownMerchant.status()).isEqualTo(404);
        assertThat(negative.problemType()).isEqualTo("negative-price");
        assertThat(read.body().path("measure").asString()).isEqualTo("kg");
        assertThat(page.body().path("data").size()).isEqualTo(1);
        assertThat(page.body().path("next_cursor").asString()).isNotEmpty();
        assertThat(accountant.get("/api/v1/products/999999999").status()).isEqualTo(404);
        assertThat(accountant.get("/api/v1/products?limit=0").problemType()).isEqualTo("invalid-limit");
        assertThat(accountant.get("/api/v1/products?cursor=abc").problemType()).isEqualTo("invalid-cursor");
    }

    @Test
    void customersNeedWhatReceiptsAndInvoicesWillNeed() {
        var individual = accountant.post(
                "/api/v1/customers", "{\"type\":\"individual\",\"name\":\"Anna\",\"phone\":\"+79990000002\"}");
        var noContact = accountant.post("/api/v1/customers", "{\"type\":\"individual\",\"name\":\"Anna\"}");
        var companyWithoutInn = accountant.post("/api/v1/customers", "{\"type\":\"company\",\"name\":\"OOO\"}");
        var badFields = accountant.post(
                "/api/v1/customers", "{\"type\":\"alien\",\"name\":\"\",\"email\":\"nope\",\"inn\":\"12\"}");

        assertThat(individual.status()).isEqualTo(201);
        assertThat(individual.body().path("type").asString()).isEqualTo("individual");
        assertThat(noContact.problemType()).isEqualTo("contact-required");
        assertThat(companyWithoutInn.problemType()).isEqualTo("inn-required");
        assertThat(badFields.status()).isEqualTo(400);
        assertThat(badFields.body().path("errors").toString())
                .contains("type")
                .contains("name")
                .contains("email")
                .contains("inn");
        assertThat(accountant
                        .get("/api/v1/customers/" + individual.id())
                        .body()
                        .path("phone")
                        .asString())
                .isEqualTo("+79990000002");
        assertThat(accountant
                        .get("/api/v1/customers?limit=100")
                        .body()
                        .path("data")
                        .size())
                .isPositive();
        assertThat(accountant.get("/api/v1/customers/999999999").status()).isEqualTo(404);
    }

    @Test
    void rulesAreValidatedAgainstTheMethodsAndTheVatTable() {
        var finance = as(ApiRole.FINANCE, null);
        String base = "{\"category\":\"" + category + "\",\"customer_type\":\"company\",\"vat_code\":\"standard\",";

        var created = finance.post(
                "/api/v1/rules",
                base + "\"valid_from\":\"2025-03-01\",\"valid_to\":\"2025-12-31\","
                        + "\"commission_bp\":280,\"payment_methods\":[\"card\",\"balance\"],\"providers\":[\"yookassa\",\"sber\"]}");
        var unknownMethod =
                finance.post("/api/v1/rules", base + "\"valid_from\":\"2026-01-01\",\"payment_methods\":[\"cash\"]}");
        var holdWithoutLifetime = finance.post(
                "/api/v1/rules",
                base + "\"valid_from\":\"2026-01-01\",\"hold_first\":true,"
                        + "\"hold_lifetime_seconds\":null,\"payment_methods\":[\"balance\"]}");
        var usnTooEarly = finance.post(
                "/api/v1/rules",
                "{\"category\":\"" + category + "\",\"customer_type\":\"*\","
                        + "\"vat_code\":\"usn5\",\"valid_from\":\"2024-06-01\",\"valid_to\":\"2024-12-31\",\"payment_methods\":[\"balance\"]}");
        var backwards = finance.post(
                "/api/v1/rules",
                base + "\"valid_from\":\"2027-01-01\",\"valid_to\":\"2026-01-01\","
                        + "\"payment_methods\":[\"balance\"]}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().path("providers").toString()).isEqualTo("[\"yookassa\",\"sber\"]");
        assertThat(finance.get("/api/v1/rules/" + created.id())
                        .body()
                        .path("valid_to")
                        .asString())
                .isEqualTo("2025-12-31");
        assertThat(finance.get("/api/v1/rules?limit=100").body().path("data").size())
                .isPositive();
        assertThat(unknownMethod.problemType()).isEqualTo("invalid-rule");
        assertThat(holdWithoutLifetime.problemType()).isEqualTo("invalid-rule");
        assertThat(usnTooEarly.problemType()).isEqualTo("unknown-vat-rate");
        assertThat(backwards.problemType()).isEqualTo("invalid-period");
    }

    @Test
    void theStandardVatRateIsTwentyTwoPercentFrom2026() {
        assertThat(accountant
                        .get("/api/v1/vat-rates/standard?date=2025-12-31")
                        .body()
                        .path("rate_bp")
                        .asInt())
                .isEqualTo(2_000);
        assertThat(accountant
                        .get("/api/v1/vat-rates/standard?date=2026-01-01")
                        .body()
                        .path("rate_bp")
                        .asInt())
                .isEqualTo(2_200);
        assertThat(accountant
                        .get("/api/v1/vat-rates/reduced?date=2026-06-01")
                        .body()
                        .path("rate_bp")
                        .asInt())
                .isEqualTo(1_000);
        assertThat(accountant
                        .get("/api/v1/vat-rates/usn7?date=2026-06-01")
                        .body()
                        .path("rate_bp")
                        .asInt())
                .isEqualTo(700);
        assertThat(accountant
                        .get("/api/v1/vat-rates/none?date=2026-06-01")
                        .body()
                        .path("rate_bp")
                        .asInt())
                .isZero();
        assertThat(accountant.get("/api/v1/vat-rates/usn5?date=2024-12-31").problemType())
                .isEqualTo("unknown-vat-rate");
        assertThat(accountant.get("/api/v1/vat-rates/standard?date=yesterday").problemType())
                .isEqualTo("validation");
    }

    @Test
    void holdsAreListedByInvoiceAndStatus() {
        rule(0, false, 0);
        long customer = customer(CustomerType.COMPANY);
        topUp(customer, 1_000_00);
        long invoice = order(accountant, customer, product(100_00), 1).id();
        long first = accountant
                .post("/api/v1/holds", "{\"invoice_id\":" + invoice + ",\"amount\":" + money(40_00) + "}")
                .id();
        accountant.post("/api/v1/holds", "{\"invoice_id\":" + invoice + ",\"amount\":" + money(60_00) + "}");
        accountant.post("/api/v1/holds/" + first + "/release", "{}");

        var active = accountant
                .get("/api/v1/holds?invoice_id=" + invoice + "&status=active")
                .body()
                .path("data");
        var all = accountant.get("/api/v1/holds?customer_id=" + customer).body().path("data");

        assertThat(active.size()).isEqualTo(1);
        assertThat(active.get(0).path("amount").path("amount").asLong()).isEqualTo(60_00);
        assertThat(all.size()).isEqualTo(2);
        assertThat(accountant.get("/api/v1/holds?status=frozen").problemType()).isEqualTo("invalid-status");
        assertThat(accountant
                        .get("/api/v1/holds/" + first)
                        .body()
                        .path("status")
                        .asString())
                .isEqualTo("released");
    }
}

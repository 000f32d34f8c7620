package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document against the API itself: a representative run of real requests (customers, orders,
 * invoices, payments, holds, refunds, receipts, jobs, and refusals) goes through the running application, and
 * each request with its answer is validated against {@code /v3/api-docs} ({@link OpenApiValidator}). A request
 * that is wrong on purpose (to provoke a 400 or 401) has only its answer validated. (Every API test has its
 * answers validated too, by {@link ApiTest}; this one holds the requests to the document as well.)
 */
class OpenApiConformanceTest extends FiscalApiTest {

    private record Seen(ApiClient.Exchange exchange, boolean wrongOnPurpose) {}

    private final List<Seen> seen = new ArrayList<>();
    private boolean wrongOnPurpose;

    @Override
    ApiClient.Observer observer() {
        return exchange -> seen.add(new Seen(exchange, wrongOnPurpose));
    }

    @Test
    void theApisRealRequestsAndAnswersAreWhatTheDocumentDescribes() {
        long rule = rule(0, false, 0);
        ApiClient finance = as(ApiRole.FINANCE, null);
        ApiClient operator = as(ApiRole.OPERATOR, null);

        // customers, top-ups, balances
        var created = accountant.post(
                "/api/v1/customers",
                "{\"type\":\"company\",\"name\":\"OOO Romashka\",\"email\":\"buh@romashka.ru\","
                        + "\"phone\":\"+74950000000\",\"inn\":\"7700000002\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long customer = created.id();
        ApiClient buyer = as(ApiRole.CUSTOMER, customer);
        accountant.get("/api/v1/customers/" + customer);
        accountant.get("/api/v1/customers?limit=5");
        var topUp = accountant.post(
                "/api/v1/customers/" + customer + "/top-ups",
                "{\"amount\":" + ApiClient.money(10_000_00) + ",\"reference\":\"PP-1\"}");
        assertThat(topUp.status()).as(topUp.toString()).isEqualTo(201);
        buyer.get("/api/v1/customers/" + customer + "/balances");

        // catalogue: a merchant with its bank details
        var merchant = admin.post(
                "/api/v1/merchants",
                "{\"code\":\"OAS" + (System.nanoTime() % 1_000_000) + "\",\"name\":\"Romashka\",\"inn\":\"7701234560\","
                        + "\"bank_details\":" + CatalogApiTest.BANK_DETAILS + "}");
        assertThat(merchant.status()).as(merchant.toString()).isEqualTo(201);
        var bankDetails = admin.post(
                "/api/v1/merchants/" + merchant.id() + "/bank-details",
                "{\"inn\":\"7701234560\",\"bank_details\":" + CatalogApiTest.BANK_DETAILS + "}");
        assertThat(bankDetails.status()).as(bankDetails.toString()).isEqualTo(200);
        accountant.get("/api/v1/merchants");
        var product = accountant.post(
                "/api/v1/products",
                "{\"merchant_id\":" + merchantId + ",\"sku\":\"BOOK-1\",\"name\":\"A book\",\"category\":\"" + category
                        + "\",\"unit_price\":" + ApiClient.money(1_500_00) + ",\"measure\":\"piece\"}");
        assertThat(product.status()).as(product.toString()).isEqualTo(201);
        buyer.get("/api/v1/products/" + product.id());
        buyer.get("/api/v1/products?limit=2");
        finance.get("/api/v1/rules?limit=2");
        finance.get("/api/v1/rules/" + rule);
        buyer.get("/api/v1/vat-rates/standard?date=" + LocalDate.now());

        // an order, a hold on the balance released, a payment from the balance and a refund
        var order = buyer.post(
                "/api/v1/orders",
                "{\"order_ref\":\"WEB-1\",\"items\":[{\"product_id\":" + product.id() + ",\"quantity\":2}]}");
        assertThat(order.status()).as(order.toString()).isEqualTo(201);
        long invoice = order.id();
        buyer.get("/api/v1/invoices/" + invoice);
        accountant.get("/api/v1/invoices?customer_id=" + customer + "&status=issued&issued_from=" + LocalDate.now()
                + "&limit=10");
        var hold = buyer.post(
                "/api/v1/holds", "{\"invoice_id\":" + invoice + ",\"amount\":" + ApiClient.money(1_000_00) + "}");
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        accountant.get("/api/v1/holds/" + hold.id());
        accountant.get("/api/v1/holds?invoice_id=" + invoice + "&status=active");
        buyer.post("/api/v1/holds/" + hold.id() + "/release", "");
        var paid = buyer.post(
                "/api/v1/invoices/" + invoice + "/payments",
                "{\"method\":\"balance\",\"amount\":" + ApiClient.money(3_000_00) + "}");
        assertThat(paid.status()).as(paid.toString()).isEqualTo(201);
        buyer.get("/api/v1/invoices/" + invoice + "/payments");
        var refund = accountant.post(
                "/api/v1/invoices/" + invoice + "/refunds",
                "{\"amount\":" + ApiClient.money(500_00) + ",\"payment_id\":" + paid.id() + ",\"reason\":\"damaged\"}");
        assertThat(refund.status()).as(refund.toString()).isEqualTo(201);
        buyer.get("/api/v1/invoices/" + invoice + "/refunds");

        // receipts, made by the fiscal jobs (their API is the scheduler module's)
        runToTheEnd("fiscalPush");
        runToTheEnd("fiscalStatus");
        var receipts = buyer.get("/api/v1/receipts?invoice_id=" + invoice);
        assertThat(receipts.body().size()).as(receipts.toString()).isPositive();
        finance.get("/api/v1/receipts/" + receipts.body().get(0).path("id").asLong());

        // the console's reads and actions: the dashboard, the fiscal backlog, a resend refused, a bulk resolution
        String today = LocalDate.now().toString();
        finance.get("/api/v1/dashboard/turnover?from=" + today + "&to=" + today);
        operator.get("/api/v1/dashboard/discrepancies?from=" + today + "&to=" + today);
        operator.get("/api/v1/dashboard/fiscal-backlog");
        accountant.get("/api/v1/dashboard/holds-expiring?within=PT48H");
        operator.get("/api/v1/fiscal/backlog");
        operator.get("/api/v1/fiscal/failed?limit=5");
        var unfiscalized = operator.get("/api/v1/fiscal/unfiscalized?limit=1");
        if (!unfiscalized.body().path("next_cursor").isNull()) {
            operator.get("/api/v1/fiscal/unfiscalized?limit=1&cursor="
                    + unfiscalized.body().path("next_cursor").asString());
        }
        var notFailed = operator.post(
                "/api/v1/receipts/" + receipts.body().get(0).path("id").asLong() + "/resend",
                "{\"reason\":\"checking\"}");
        assertThat(notFailed.status()).as(notFailed.toString()).isEqualTo(409);
        var bulk = accountant.post(
                "/api/v1/discrepancies/resolve",
                "{\"filter\":{\"provider\":\"nobody\",\"business_date\":\"" + today
                        + "\",\"result_class\":\"missing_in_registry\",\"status\":\"open\"},"
                        + "\"resolution\":\"none there\"}");
        assertThat(bulk.status()).as(bulk.toString()).isEqualTo(200);

        // a second invoice, overpaid (unprocessable), cancelled, then paid (a conflict)
        long other = order(accountant, customer, product.id(), 1).id();
        var tooMuch = buyer.post(
                "/api/v1/invoices/" + other + "/payments",
                "{\"method\":\"balance\",\"amount\":" + ApiClient.money(2_000_00) + "}");
        assertThat(tooMuch.status()).as(tooMuch.toString()).isEqualTo(422);
        accountant.post("/api/v1/invoices/" + other + "/cancel", "");
        var cancelled = buyer.post(
                "/api/v1/invoices/" + other + "/payments",
                "{\"method\":\"balance\",\"amount\":" + ApiClient.money(1_00) + "}");
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(409);
        finance.get("/api/v1/events?limit=3");
        operator.post("/api/v1/jobs/hold-expiry", "");
        admin.get("/api/v1/api-keys");

        // people: a user made by the admin key signs in, reads and changes with the session's cookie and CSRF token
        String login = "oas-" + (System.nanoTime() % 1_000_000);
        String password = "a long enough password";
        var user = admin.post(
                "/api/v1/users",
                "{\"login\":\"" + login + "\",\"display_name\":\"Maria\",\"role\":\"admin\",\"password\":\"" + password
                        + "\"}");
        assertThat(user.status()).as(user.toString()).isEqualTo(201);
        ApiClient browser = new ApiClient(port, null, observer());
        assertThat(browser.post("/api/v1/session", "{\"login\":\"" + login + "\",\"password\":\"wrong\"}", null)
                        .status())
                .isEqualTo(401);
        var signedIn = browser.post(
                "/api/v1/session", "{\"login\":\"" + login + "\",\"password\":\"" + password + "\"}", null);
        assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
        String setCookie = signedIn.raw().headers().firstValue("Set-Cookie").orElseThrow();
        ApiClient console = browser.with("Cookie", setCookie.substring(0, setCookie.indexOf(';')))
                .with(
                        ApiSecurity.CSRF_HEADER,
                        signedIn.body().path("csrf_token").asString());
        console.get("/api/v1/session");
        console.get("/api/v1/users?limit=5");
        long colleague = console.post(
                        "/api/v1/users",
                        "{\"login\":\"" + login + "-op\",\"display_name\":\"Oleg\",\"role\":\"operator\","
                                + "\"password\":\"" + password + "\"}")
                .id();
        console.get("/api/v1/users/" + colleague);
        console.post("/api/v1/users/" + colleague + "/disable", "");
        console.post("/api/v1/users/" + colleague + "/enable", "");
        console.post("/api/v1/users/" + colleague + "/password", "{\"password\":\"another long password\"}");
        assertThat(console.post(
                                "/api/v1/session/password",
                                "{\"current_password\":\"" + password
                                        + "\",\"new_password\":\"another long password\"}")
                        .status())
                .isEqualTo(204);
        assertThat(console.post("/api/v1/session/logout", "").status()).isEqualTo(204);
        assertThat(console.get("/api/v1/session").status()).isEqualTo(401);

        // refusals: not found, forbidden, a callback for no provider
        assertThat(buyer.get("/api/v1/invoices/999999999").status()).isEqualTo(404);
        assertThat(buyer.get("/api/v1/customers").status()).isEqualTo(403);
        assertThat(new ApiClient(port, null, observer())
                        .post("/api/v1/callbacks/nobody", "{}", null)
                        .status())
                .isEqualTo(404);
        // wrong on purpose, so only the answers are validated: no API key, invalid or malformed bodies
        wrongOnPurpose = true;
        assertThat(new ApiClient(port, null, observer()).get("/api/v1/invoices").status())
                .isEqualTo(401);
        assertThat(accountant
                        .post("/api/v1/orders", "{\"customer_id\":" + customer + "}")
                        .status())
                .isEqualTo(400);
        assertThat(accountant.post("/api/v1/orders", "{not json").status()).isEqualTo(400);
        assertThat(accountant.post("/api/v1/customers", "{}", null).status()).isEqualTo(400);
        wrongOnPurpose = false;

        List<String> problems = validated();

        assertThat(seen).hasSizeGreaterThan(40);
        assertThat(problems).isEmpty();
    }

    /** Every exchange seen, validated against the document the application serves; what did not conform. */
    private List<String> validated() {
        OpenApiValidator validator = OpenApiValidator.of(port);
        List<String> problems = new ArrayList<>();
        for (Seen s : seen) {
            String found =
                    s.wrongOnPurpose() ? validator.problemsInTheAnswer(s.exchange()) : validator.problems(s.exchange());
            if (found != null) {
                problems.add(found);
            }
        }
        return problems;
    }
}

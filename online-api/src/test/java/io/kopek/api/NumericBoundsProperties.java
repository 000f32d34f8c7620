package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.ApiTestApplication;
import io.kopek.catalog.Catalog;
import io.kopek.catalog.NewProduct;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.NewCustomer;
import io.kopek.money.Money;
import io.kopek.pricing.NewBillingRule;
import io.kopek.pricing.Pricing;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Numbers from anywhere in (and beyond) the range of a long, as quantities, amounts, prices, limits, page sizes and
 * ids of every kind of request, each sent twice: the answer is a success or a 400/404/409/422 problem, never a 500, so no number
 * reaches arithmetic that overflows.
 */
class NumericBoundsProperties {

    private static ConfigurableApplicationContext context;
    private static ApiClient accountant;
    private static ApiClient admin;
    private static long merchant;
    private static long product;
    private static long customer;
    private static long invoice;
    private static String category;

    @BeforeContainer
    static void start() {
        context = new SpringApplicationBuilder(ApiTestApplication.class)
                .properties("server.port=0", "spring.main.banner-mode=off", "logging.level.root=warn")
                .run();
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        ApiKeys keys = context.getBean(ApiKeys.class);
        accountant = new ApiClient(
                port, keys.issue(ApiRole.ACCOUNTANT, null, "bounds").key());
        admin = new ApiClient(port, keys.issue(ApiRole.ADMIN, null, "bounds").key());
        String run = UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        category = "bounds-" + run.toLowerCase();
        merchant = context.getBean(Catalog.class)
                .createMerchant("N" + run, "Bounds LLC", "7700000009")
                .id();
        context.getBean(Pricing.class)
                .create(new NewBillingRule(
                        category,
                        "*",
                        LocalDate.of(2020, 1, 1),
                        null,
                        0,
                        0,
                        0,
                        "standard",
                        false,
                        600,
                        List.of("balance", "bank_transfer"),
                        List.of(),
                        1_000_00));
        product = context.getBean(Catalog.class)
                .createProduct(new NewProduct(merchant, "SKU", "Thing", category, Money.rub(99_00), "piece"))
                .id();
        customer = context.getBean(Customers.class)
                .create(new NewCustomer(CustomerType.COMPANY, "OOO Bounds", "b@example.ru", null, "7707083893"))
                .id();
        invoice = order("1").id();
    }

    @AfterContainer
    static void stop() {
        context.close();
    }

    private static ApiClient.Response order(String quantity) {
        return accountant.post(
                "/api/v1/orders",
                "{\"customer_id\":" + customer + ",\"items\":[{\"product_id\":" + product + ",\"quantity\":" + quantity
                        + "}]}");
    }

    private static String money(String amount) {
        return "{\"amount\":" + amount + ",\"currency\":\"RUB\"}";
    }

    /** Every kind of request that carries a number, with the number put where it goes. */
    enum Target {
        ORDER_QUANTITY((n, q) -> order(q)),
        ORDER_PRODUCT_ID((n, id) -> accountant.post(
                "/api/v1/orders",
                "{\"customer_id\":" + customer + ",\"items\":[{\"product_id\":" + id + ",\"quantity\":1}]}")),
        ORDER_CUSTOMER_ID((n, id) -> accountant.post(
                "/api/v1/orders",
                "{\"customer_id\":" + id + ",\"items\":[{\"product_id\":" + product + ",\"quantity\":1}]}")),
        TOP_UP((n, a) -> accountant.post(
                "/api/v1/customers/" + customer + "/top-ups",
                "{\"amount\":" + money(a) + ",\"reference\":\"PP-" + n + "\"}")),
        PAY_FROM_BALANCE((n, a) -> accountant.post(
                "/api/v1/invoices/" + invoice + "/payments", "{\"method\":\"balance\",\"amount\":" + money(a) + "}")),
        PAY_BY_BANK((n, a) -> accountant.post(
                "/api/v1/invoices/" + invoice + "/payments",
                "{\"method\":\"bank_transfer\",\"amount\":" + money(a) + ",\"reference\":\"PP-" + n + "\"}")),
        REFUND((n, a) -> accountant.post("/api/v1/invoices/" + invoice + "/refunds", "{\"amount\":" + money(a) + "}")),
        HOLD((n, a) ->
                accountant.post("/api/v1/holds", "{\"invoice_id\":" + invoice + ",\"amount\":" + money(a) + "}")),
        HOLD_LIFETIME((n, s) ->
                accountant.post("/api/v1/holds", "{\"invoice_id\":" + invoice + ",\"lifetime_seconds\":" + s + "}")),
        PRODUCT_PRICE_THEN_ORDER((n, a) -> {
            var created = accountant.post(
                    "/api/v1/products",
                    "{\"merchant_id\":" + merchant + ",\"sku\":\"P-" + n + "\",\"name\":\"P\",\"category\":\""
                            + category + "\",\"unit_price\":" + money(a) + "}");
            if (created.status() != 201) {
                return created;
            }
            return accountant.post(
                    "/api/v1/orders",
                    "{\"customer_id\":" + customer + ",\"items\":[{\"product_id\":" + created.id()
                            + ",\"quantity\":99999999}]}");
        }),
        RULE_LIMITS((n, l) -> admin.post(
                "/api/v1/rules",
                "{\"category\":\"" + category + "-r\",\"customer_type\":\"*\",\"valid_from\":\"2020-01-01\","
                        + "\"vat_code\":\"standard\",\"payment_methods\":[\"balance\"],\"credit_limit\":" + l
                        + ",\"commission_fixed\":" + l + "}")),
        INVOICE_ID((n, id) -> accountant.get("/api/v1/invoices/" + id)),
        PAGE_LIMIT((n, l) -> accountant.get("/api/v1/invoices?limit=" + l)),
        PAGE_CURSOR((n, c) -> accountant.get("/api/v1/invoices?cursor=" + c)),
        CUSTOMER_FILTER((n, c) -> accountant.get("/api/v1/invoices?customer_id=" + c));

        final BiFunction<Long, String, ApiClient.Response> call;

        Target(BiFunction<Long, String, ApiClient.Response> call) {
            this.call = call;
        }
    }

    private static final java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();

    /** Each number everywhere, twice (as a repeated top-up or payment adds up), so sums are tried too. */
    @Property(tries = 120)
    void noNumberMakesTheApiFail(@ForAll("numbers") String number) {
        for (Target target : Target.values()) {
            for (int time = 0; time < 2; time++) {
                ApiClient.Response answer = target.call.apply(calls.incrementAndGet(), number);

                assertThat(answer.status())
                        .as("%s %s: %s", target, number, answer)
                        .isLessThan(500);
                if (answer.status() >= 400) {
                    assertThat(answer.raw().headers().firstValue("Content-Type").orElse(""))
                            .as("%s %s: %s", target, number, answer)
                            .startsWith("application/problem+json");
                }
            }
        }
    }

    @Provide
    Arbitrary<String> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.longs().between(-1_000_000L, 1_000_000_000_000_000L).map(String::valueOf),
                Arbitraries.bigIntegers()
                        .between(BigInteger.TEN.pow(18).negate(), BigInteger.TEN.pow(30))
                        .map(String::valueOf),
                Arbitraries.bigDecimals()
                        .between(BigDecimal.ZERO, new BigDecimal("1000000000000"))
                        .ofScale(9)
                        .map(BigDecimal::toPlainString),
                Arbitraries.of(
                        "9223372036854775807",
                        "9223372036854775806",
                        "-9223372036854775808",
                        "9223372036854775808",
                        "4611686018427387904",
                        "2147483648",
                        "99999999",
                        "99999999.999999",
                        "100000000",
                        "0.0000001",
                        "1000000000000",
                        "1000000000001",
                        "1e18",
                        "1E+999",
                        "-0"));
    }
}

package io.kopek.fiscal;

import io.kopek.FiscalTestApplication;
import io.kopek.billing.Invoice;
import io.kopek.billing.Invoicing;
import io.kopek.billing.Payments;
import io.kopek.billing.PlaceOrder;
import io.kopek.catalog.Catalog;
import io.kopek.catalog.NewProduct;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.NewCustomer;
import io.kopek.money.Money;
import io.kopek.pricing.NewBillingRule;
import io.kopek.pricing.Pricing;
import io.kopek.sandbox.atol.AtolSimulator;
import io.kopek.testing.MutableClock;
import io.kopek.testing.TestClockConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Base of the gateway's tests: billing-core and the gateway over the test run's own database, a movable clock,
 * and one ATOL simulator on a loopback port for the whole run, reached over real HTTP. Data is built through
 * billing-core's public services; each test has its own merchant and product category.
 */
@SpringBootTest(classes = FiscalTestApplication.class)
@Import(TestClockConfiguration.class)
abstract class FiscalTest {

    static final AtolSimulator atol = start();

    static AtolSimulator start() {
        try {
            return AtolSimulator.start(0, "v5-online-atol-ru", "zUr0OxfI", "v5-online-atol-ru_5179");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void atolUrl(DynamicPropertyRegistry registry) {
        registry.add("kopek.fiscal.atol.base-url", () -> atol.baseUrl().toString());
    }

    @Autowired
    Catalog catalog;

    @Autowired
    Pricing pricing;

    @Autowired
    Customers customers;

    @Autowired
    Invoicing invoicing;

    @Autowired
    Payments payments;

    @Autowired
    FiscalEventConsumer consumer;

    @Autowired
    FiscalPusher pusher;

    @Autowired
    FiscalStatusPoller poller;

    @Autowired
    FiscalReceipts receipts;

    @Autowired
    FiscalOperator operator;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    String category;
    long merchantId;

    @BeforeEach
    void baseFixtures() {
        atol.reset();
        clock.set(Instant.now());
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        category = "cat-" + run;
        merchantId = catalog.createMerchant("F" + run.toUpperCase().substring(0, 6), "Fiscal test merchant", null)
                .id();
        ruleFor(category);
    }

    /** The test configuration's category handed over at the first payment (instalments): products made next. */
    void instalments() {
        category = "instalments";
        ruleFor(category);
    }

    /** The test configuration's merchant that sells offline (no tag 1125): invoices made next are its. */
    void offlineMerchant() {
        merchantId = catalog.merchants().stream()
                .filter(m -> m.code().equals("OFFLINE"))
                .findFirst()
                .orElseGet(() -> catalog.createMerchant("OFFLINE", "A shop with a till", null))
                .id();
    }

    /** A receipt's payments as type=sum, in order. */
    static List<String> payments(JsonNode receipt) {
        return receipt.path("payments")
                .valueStream()
                .map(p -> p.path("type").asInt() + "="
                        + p.path("sum").decimalValue().setScale(2))
                .toList();
    }

    void ruleFor(String category) {
        try {
            pricing.create(new NewBillingRule(
                    category,
                    "*",
                    LocalDate.of(2020, 1, 1),
                    null,
                    0,
                    0,
                    0,
                    "standard",
                    false,
                    null,
                    List.of("balance", "bank_transfer"),
                    List.of(),
                    0));
        } catch (io.kopek.errors.KopekException overlapping) {
            // made by an earlier test of the run: the category's rule is in force already
        }
    }

    long buyer() {
        return customers
                .create(new NewCustomer(CustomerType.INDIVIDUAL, "Иван Петров", "buyer@example.ru", null, null))
                .id();
    }

    long product(String name, long kopecks) {
        return catalog.createProduct(new NewProduct(
                        merchantId, "SKU-" + UUID.randomUUID(), name, category, Money.rub(kopecks), "piece"))
                .id();
    }

    /** An invoice with lines in this order: product id, quantity, product id, quantity, ... */
    Invoice invoice(long customerId, long... productsAndQuantities) {
        List<PlaceOrder.Item> items = new java.util.ArrayList<>();
        for (int i = 0; i < productsAndQuantities.length; i += 2) {
            items.add(new PlaceOrder.Item(productsAndQuantities[i], BigDecimal.valueOf(productsAndQuantities[i + 1])));
        }
        return invoicing.place(new PlaceOrder(customerId, null, null, items));
    }

    /** Outbox → receipts → operator → status, as the batch jobs will run it. */
    void fiscalise() {
        consumer.poll();
        pusher.push();
        poller.poll();
    }

    Receipt receipt(String eventKey) {
        return receipts.byEventKey(eventKey).orElseThrow(() -> new AssertionError("no receipt " + eventKey));
    }

    /** The receipt's external id as it is now (a resend changes it). */
    String externalId(Receipt r) {
        return receipts.get(r.id()).externalId();
    }

    /** What the operator received for the receipt: the {@code receipt} (or {@code correction}) object. */
    JsonNode sent(Receipt r) {
        JsonNode request = atol.registered(externalId(r));
        if (request == null) {
            throw new AssertionError("the operator has no receipt " + externalId(r));
        }
        return request.has("correction") ? request.path("correction") : request.path("receipt");
    }

    /** The alerts raised about a receipt. */
    List<String> alerts(String type, long receiptId) {
        return jdbc.sql("select payload->>'reason' from outbox_event where type = ? and aggregate_id = ?")
                .params(type, String.valueOf(receiptId))
                .query(String.class)
                .list();
    }

    /** Makes the operator client fetch its token now, so scripted misbehaviour hits the calls under test. */
    void tokenFetched() {
        try {
            operator.report("warm-up");
        } catch (FiscalOperatorException expected) {
            // no such receipt: the token was fetched all the same
        }
    }
}

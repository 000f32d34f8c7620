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
import io.kopek.testing.MerchantCodes;
import io.kopek.testing.MutableClock;
import io.kopek.testing.TestClockConfiguration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * Base of the API tests: the application on a random port over the test run's own database, a movable clock,
 * and per-test data (a fresh merchant, category and keys) built through the modules' public APIs.
 */
@SpringBootTest(classes = ApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestClockConfiguration.class)
abstract class ApiTest {

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys keys;

    @Autowired
    Catalog catalog;

    @Autowired
    Pricing pricing;

    @Autowired
    Customers customers;

    @Autowired
    MutableClock clock;

    ApiClient admin;
    ApiClient accountant;
    String category;
    long merchantId;

    @BeforeEach
    void baseFixtures() {
        clock.set(java.time.Instant.now());
        admin = client(keys.issue(ApiRole.ADMIN, null, "test admin"));
        accountant = client(keys.issue(ApiRole.ACCOUNTANT, null, "test accountant"));
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        category = "cat-" + run;
        merchantId = catalog.createMerchant("M" + MerchantCodes.lettersOf(run), "Test merchant", "7700000009")
                .id();
    }

    ApiClient client(IssuedApiKey key) {
        return new ApiClient(port, key.key(), observer());
    }

    /** What sees every request the test's clients send: by default, {@link #answersAreWhatTheDocumentDescribes}. */
    ApiClient.Observer observer() {
        return exchanges::add;
    }

    private final List<ApiClient.Exchange> exchanges = new CopyOnWriteArrayList<>();

    /**
     * Every answer the test's clients got from the API is one the OpenAPI document describes (the requests are not
     * held to it: many are wrong on purpose; {@link OpenApiConformanceTest} holds requests to it too).
     */
    @AfterEach
    void answersAreWhatTheDocumentDescribes() {
        if (!exchanges.isEmpty()) {
            assertThat(OpenApiValidator.of(port).problemsInTheAnswers(exchanges))
                    .as("answers the OpenAPI document does not describe")
                    .isEmpty();
        }
    }

    ApiClient as(ApiRole role, Long customerId) {
        return client(keys.issue(role, customerId, "test " + role.code()));
    }

    long customer(CustomerType type) {
        return customers
                .create(new NewCustomer(
                        type,
                        "Test " + type.code(),
                        "buyer@example.ru",
                        null,
                        type == CustomerType.INDIVIDUAL ? null : "7700000001"))
                .id();
    }

    long product(long kopecks) {
        return catalog.createProduct(new NewProduct(
                        merchantId, "SKU-" + UUID.randomUUID(), "Product", category, Money.rub(kopecks), "piece"))
                .id();
    }

    /** A rule for this test's category: any customer type, standard VAT, balance and bank transfer. */
    long rule(int adjustmentBp, boolean holdFirst, long creditLimit) {
        return pricing.create(new NewBillingRule(
                        category,
                        "*",
                        LocalDate.of(2020, 1, 1),
                        null,
                        adjustmentBp,
                        150,
                        0,
                        "standard",
                        holdFirst,
                        3600,
                        List.of("balance", "bank_transfer"),
                        List.of(),
                        creditLimit))
                .id();
    }

    ApiClient.Response order(ApiClient as, long customerId, long productId, int quantity) {
        return as.post(
                "/api/v1/orders",
                "{\"customer_id\":" + customerId + ",\"items\":[{\"product_id\":" + productId + ",\"quantity\":"
                        + quantity + "}]}");
    }

    void topUp(long customerId, long kopecks) {
        var r = accountant.post(
                "/api/v1/customers/" + customerId + "/top-ups",
                "{\"amount\":" + ApiClient.money(kopecks) + ",\"reference\":\"PP-" + UUID.randomUUID() + "\"}");
        if (r.status() != 201) {
            throw new AssertionError("top-up failed: " + r);
        }
    }
}

package io.kopek.search;

import io.kopek.billing.Invoice;
import io.kopek.billing.Invoicing;
import io.kopek.billing.Payment;
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
import io.kopek.testing.MerchantCodes;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * A provider of the test's own with a product paid by card through it (as reconciliation's tests do), and the
 * engine read over plain HTTP, apart from the indexer's client.
 */
final class Fixtures {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final String provider;
    final long customer;
    final long product;
    private final Invoicing invoicing;
    private final Payments payments;

    Fixtures(Catalog catalog, Pricing pricing, Customers customers, Invoicing invoicing, Payments payments) {
        this.invoicing = invoicing;
        this.payments = payments;
        String run = UUID.randomUUID().toString().substring(0, 8);
        provider = "pay" + run;
        String category = "cat-" + run;
        long merchant = catalog.createMerchant("S" + MerchantCodes.lettersOf(run), "Shop", "7700000009")
                .id();
        product = catalog.createProduct(
                        new NewProduct(merchant, "SKU-" + run, "Product", category, Money.rub(1_000_00), "piece"))
                .id();
        pricing.create(new NewBillingRule(
                category,
                "*",
                LocalDate.of(2020, 1, 1),
                null,
                0,
                250,
                0,
                "standard",
                false,
                null,
                List.of("card"),
                List.of(provider),
                0));
        customer = customers
                .create(new NewCustomer(CustomerType.INDIVIDUAL, "Buyer", "buyer@example.ru", null, null))
                .id();
    }

    Invoice invoice(int quantity) {
        return invoicing.place(new PlaceOrder(
                customer, null, null, List.of(new PlaceOrder.Item(product, BigDecimal.valueOf(quantity)))));
    }

    Payment paidByCard(Invoice invoice) {
        return payments.recordCardPayment(
                invoice.id(),
                invoice.total(),
                provider,
                "tp-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** A document as the engine has it ({@code _source}, {@code _version}), through the alias or an index. */
    @SuppressWarnings("unchecked")
    static Optional<Map<String, Object>> get(URI engine, String index, Object id) {
        try {
            HttpResponse<String> answer = HTTP.send(
                    HttpRequest.newBuilder(engine.resolve("/" + index + "/_doc/" + id))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 404) {
                return Optional.empty();
            }
            Map<String, Object> body = JSON.readValue(answer.body(), Map.class);
            return Boolean.TRUE.equals(body.get("found")) ? Optional.of(body) : Optional.empty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> source(Map<String, Object> document) {
        return (Map<String, Object>) document.get("_source");
    }
}

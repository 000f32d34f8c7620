package io.kopek.report.catalogue;

import io.kopek.billing.Invoice;
import io.kopek.billing.Invoicing;
import io.kopek.billing.PlaceOrder;
import io.kopek.catalog.Catalog;
import io.kopek.catalog.NewProduct;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.NewCustomer;
import io.kopek.money.Money;
import io.kopek.pricing.NewBillingRule;
import io.kopek.pricing.Pricing;
import io.kopek.testing.MutableClock;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

/**
 * A merchant of the test's own, with categories priced by rules of its own (so its revenue accounts are its alone),
 * its customers and its invoices, made through billing's services at the business days the test sets the clock to.
 */
final class Shop {

    static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

    final String run = UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    final String merchantCode = "R" + run;
    final long merchant;

    private final Catalog catalog;
    private final Pricing pricing;
    private final Customers customers;
    private final Invoicing invoicing;
    private final MutableClock clock;

    Shop(Catalog catalog, Pricing pricing, Customers customers, Invoicing invoicing, MutableClock clock) {
        this.catalog = catalog;
        this.pricing = pricing;
        this.customers = customers;
        this.invoicing = invoicing;
        this.clock = clock;
        this.merchant = catalog.createMerchant(merchantCode, "Отчётный магазин", "7700000009")
                .id();
    }

    /** Noon of the business day: the clock every service reads. */
    void on(LocalDate day) {
        clock.set(day.atTime(LocalTime.NOON).atZone(MOSCOW).toInstant());
    }

    /** A category of this shop's own, priced at the VAT code for any customer, paid by balance or bank transfer. */
    String category(String name, String vatCode) {
        String category = name + "-" + run.toLowerCase();
        pricing.create(new NewBillingRule(
                category,
                "*",
                LocalDate.of(2025, 1, 1),
                null,
                0,
                0,
                0,
                vatCode,
                false,
                null,
                List.of("balance", "bank_transfer"),
                List.of(),
                0));
        return category;
    }

    long product(String category, long priceMinor) {
        return catalog.createProduct(new NewProduct(
                        merchant,
                        "SKU-" + UUID.randomUUID(),
                        "Услуга " + category,
                        category,
                        Money.rub(priceMinor),
                        "piece"))
                .id();
    }

    long customer(CustomerType type, String name) {
        return customers
                .create(
                        type == CustomerType.INDIVIDUAL
                                ? new NewCustomer(type, name, "buyer@example.ru", null, null)
                                : new NewCustomer(
                                        type,
                                        name,
                                        null,
                                        null,
                                        type == CustomerType.COMPANY ? "7701234567" : "770123456789"))
                .id();
    }

    Invoice invoice(long customer, LocalDate due, long product, int quantity) {
        return invoicing.place(new PlaceOrder(
                customer, null, due, List.of(new PlaceOrder.Item(product, BigDecimal.valueOf(quantity)))));
    }

    static String balance(long customer) {
        return "customer:" + customer + ":balance:RUB";
    }

    static String receivable(long customer) {
        return "customer:" + customer + ":receivable:RUB";
    }
}

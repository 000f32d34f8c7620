package io.kopek.billing;

import io.kopek.catalog.Catalog;
import io.kopek.catalog.NewProduct;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.NewCustomer;
import io.kopek.money.Money;
import io.kopek.pricing.Pricing;
import java.util.List;
import java.util.UUID;

/**
 * A test's customer with money on the balance (the top-up's payment {@code topUp}), and a product (100 RUB) of a
 * merchant and a category of the test's own whose rule lets the balance pay; {@code run} tells this set-up's names
 * apart from other tests' in the same database.
 */
record FundedCustomer(long customer, long topUp, long product, String run) {

    static FundedCustomer create(
            Catalog catalog, Pricing pricing, Customers customers, Payments payments, String word, Money funds) {
        String run = UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        String category = word + "-" + run;
        long merchant = catalog.createMerchant(word.substring(0, 1).toUpperCase() + run, word + " LLC", "7700000009")
                .id();
        pricing.create(StandardRule.paidBy(category, null, List.of("balance"), List.of()));
        long product = catalog.createProduct(
                        new NewProduct(merchant, "SKU", "Service", category, Money.rub(100_00), "piece"))
                .id();
        long customer = customers
                .create(new NewCustomer(CustomerType.INDIVIDUAL, "Holder", "h@example.ru", null, null))
                .id();
        long topUp = payments.topUp(customer, funds, "PP-" + run).id();
        return new FundedCustomer(customer, topUp, product, run);
    }
}

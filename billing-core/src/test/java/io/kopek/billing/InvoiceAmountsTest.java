package io.kopek.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.CoreTestApplication;
import io.kopek.catalog.Catalog;
import io.kopek.catalog.NewProduct;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.NewCustomer;
import io.kopek.money.Money;
import io.kopek.pricing.Pricing;
import io.kopek.testing.TestClockConfiguration;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/** {@link Invoicing#amounts} reads many invoices' money at once, the same money each invoice has on its own. */
@SpringBootTest(classes = CoreTestApplication.class)
@Import(TestClockConfiguration.class)
class InvoiceAmountsTest {

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

    @Test
    void manyInvoicesAmountsAreReadAtOnceAsEachInvoiceHasThemAndUnknownIdsAreLeftOut() {
        String run = UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        long merchant =
                catalog.createMerchant("A" + run, "Amounts LLC", "7700000009").id();
        pricing.create(StandardRule.paidBy("amounts-" + run, 600, List.of("card"), List.of("acme")));
        long product = catalog.createProduct(
                        new NewProduct(merchant, "SKU", "Service", "amounts-" + run, Money.rub(600_00), "piece"))
                .id();
        long customer = customers
                .create(new NewCustomer(CustomerType.INDIVIDUAL, "Amounts payer", "a@example.ru", null, null))
                .id();
        long paid = invoicing
                .place(new PlaceOrder(customer, null, null, List.of(new PlaceOrder.Item(product, BigDecimal.ONE))))
                .id();
        long unpaid = invoicing
                .place(new PlaceOrder(customer, null, null, List.of(new PlaceOrder.Item(product, BigDecimal.TWO))))
                .id();
        Payment payment = payments.recordCardPayment(paid, Money.rub(600_00), "acme", "acme-" + run);
        payments.checkRefundable(paid, payment.id(), Money.rub(100_00), Money.rub(0));
        payments.recordCardRefund(paid, payment.id(), Money.rub(100_00), "part back");

        Map<Long, InvoiceAmounts> amounts = invoicing.amounts(List.of(paid, unpaid, Long.MAX_VALUE));

        assertThat(amounts).containsOnlyKeys(paid, unpaid);
        for (long id : List.of(paid, unpaid)) {
            Invoice invoice = invoicing.get(id);
            assertThat(amounts.get(id))
                    .isEqualTo(new InvoiceAmounts(
                            id, invoice.total(), invoice.vatTotal(), invoice.paid(), invoice.refunded()));
        }
        assertThat(amounts.get(paid).paid()).isEqualTo(Money.rub(600_00));
        assertThat(amounts.get(paid).refunded()).isEqualTo(Money.rub(100_00));
        assertThat(amounts.get(paid).vatTotal().isPositive()).isTrue();
        assertThat(amounts.get(unpaid).total()).isEqualTo(Money.rub(1200_00));
        assertThat(amounts.get(unpaid).paid()).isEqualTo(Money.rub(0));
        assertThat(invoicing.amounts(List.of())).isEmpty();
    }
}

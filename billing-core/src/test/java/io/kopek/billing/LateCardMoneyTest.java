package io.kopek.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kopek.CoreTestApplication;
import io.kopek.catalog.Catalog;
import io.kopek.catalog.NewProduct;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.NewCustomer;
import io.kopek.errors.KopekException;
import io.kopek.money.Money;
import io.kopek.pricing.Pricing;
import io.kopek.testing.TestClockConfiguration;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Card money that arrives for an invoice cancelled meanwhile (a provider's late answer after the cancel) is kept on
 * the customer's balance, and can go back to the card once, through a balanced transaction.
 */
@SpringBootTest(classes = CoreTestApplication.class)
@Import(TestClockConfiguration.class)
class LateCardMoneyTest {

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
    Balances balances;

    @Autowired
    JdbcClient jdbc;

    @Test
    void moneyChargedForAnInvoiceCancelledMeanwhileIsKeptOnTheBalanceAndGoesBackToTheCardOnce() {
        String run = UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        long merchant =
                catalog.createMerchant("L" + run, "Late LLC", "7700000009").id();
        pricing.create(StandardRule.paidBy("late-" + run, 600, List.of("card"), List.of("acme")));
        long product = catalog.createProduct(
                        new NewProduct(merchant, "SKU", "Service", "late-" + run, Money.rub(600_00), "piece"))
                .id();
        long customer = customers
                .create(new NewCustomer(CustomerType.INDIVIDUAL, "Late payer", "l@example.ru", null, null))
                .id();
        long invoice = invoicing
                .place(new PlaceOrder(customer, null, null, List.of(new PlaceOrder.Item(product, BigDecimal.ONE))))
                .id();
        invoicing.cancel(invoice);

        Payment late = payments.recordCardPayment(invoice, Money.rub(600_00), "acme", "acme-" + run);
        Payment again = payments.recordCardPayment(invoice, Money.rub(600_00), "acme", "acme-" + run);

        assertThat(late.purpose()).isEqualTo(Payment.Purpose.TOP_UP);
        assertThat(again.id()).isEqualTo(late.id());
        assertThat(balances.of(customer, Money.RUB).posted()).isEqualTo(Money.rub(600_00));

        payments.checkRefundable(invoice, late.id(), Money.rub(600_00), Money.rub(0));
        Refund refund = payments.recordCardRefund(invoice, late.id(), Money.rub(600_00), "back to the card");

        assertThat(refund.invoiceId()).isNull();
        assertThat(refund.paymentId()).isEqualTo(late.id());
        assertThat(balances.of(customer, Money.RUB).posted()).isEqualTo(Money.rub(0));
        assertThatThrownBy(() -> payments.recordCardRefund(invoice, late.id(), Money.rub(1), "twice"))
                .isInstanceOfSatisfying(
                        KopekException.class, e -> assertThat(e.type()).isEqualTo("amount-exceeds-refundable"));
        assertThat(jdbc.sql("select count(*) from ledger_account group by currency"
                                + " having sum(debits_posted) <> sum(credits_posted)")
                        .query(Long.class)
                        .list())
                .isEmpty();
    }
}

package io.kopek.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.CoreTestApplication;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.catalog.Catalog;
import io.kopek.catalog.NewProduct;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.NewCustomer;
import io.kopek.money.Money;
import io.kopek.pricing.Pricing;
import io.kopek.testing.MutableClock;
import io.kopek.testing.TestClockConfiguration;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/** The console's figures of billing: card turnover per provider and business day, holds about to expire. */
@SpringBootTest(classes = CoreTestApplication.class)
@Import(TestClockConfiguration.class)
class CardTurnoverTest {

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
    Holds holds;

    @Autowired
    CardTurnover turnover;

    @Autowired
    BusinessCalendar calendar;

    @Autowired
    MutableClock clock;

    String provider;
    long product;
    long customer;

    @BeforeEach
    void aProviderOfItsOwn() {
        clock.set(Instant.now());
        String run = UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        provider = "turn" + run.toLowerCase();
        String category = "turnover-" + run;
        long merchant = catalog.createMerchant("T" + io.kopek.testing.MerchantCodes.lettersOf(run), "Shop", null)
                .id();
        pricing.create(StandardRule.paidBy(category, null, List.of("card", "balance"), List.of(provider)));
        product = catalog.createProduct(
                        new NewProduct(merchant, "SKU-" + run, "Service", category, Money.rub(100_00), "piece"))
                .id();
        customer = customers
                .create(new NewCustomer(CustomerType.INDIVIDUAL, "Payer", "p@example.ru", null, null))
                .id();
    }

    Invoice invoice(int quantity) {
        return invoicing.place(new PlaceOrder(
                customer, null, null, List.of(new PlaceOrder.Item(product, BigDecimal.valueOf(quantity)))));
    }

    Payment paidByCard(int quantity) {
        Invoice invoice = invoice(quantity);
        return payments.recordCardPayment(invoice.id(), invoice.total(), provider, "p-" + UUID.randomUUID());
    }

    List<CardTurnover.Day> ours(LocalDate from, LocalDate to) {
        return turnover.perDay(from, to).stream()
                .filter(d -> d.provider().equals(provider))
                .toList();
    }

    @Test
    void cardPaymentsAndRefundsAreCountedAndSummedPerProviderAndBusinessDay() {
        LocalDate today = calendar.today();
        clock.advance(Duration.ofDays(-1));
        paidByCard(1);
        clock.advance(Duration.ofDays(1));
        Payment refunded = paidByCard(2);
        paidByCard(3);
        payments.recordCardRefund(refunded.invoiceId(), refunded.id(), Money.rub(50_00), "partly back");
        Invoice byBalance = invoice(1);
        payments.topUp(customer, Money.rub(100_00), "PP-" + UUID.randomUUID());
        payments.payFromBalance(byBalance.id(), byBalance.total());

        assertThat(ours(today.minusDays(1), today))
                .containsExactly(
                        new CardTurnover.Day(provider, today.minusDays(1), "RUB", 1, 100_00, 0, 0),
                        new CardTurnover.Day(provider, today, "RUB", 2, 500_00, 1, 50_00));
        assertThat(ours(today, today)).hasSize(1);
        assertThat(ours(today.plusDays(1), today.plusDays(30))).isEmpty();
    }

    @Test
    void holdsExpiringWithinThePeriodAreListedSoonestFirst() {
        payments.topUp(customer, Money.rub(1_000_00), "PP-" + UUID.randomUUID());
        Hold later = holds.place(invoice(1).id(), Money.rub(100_00), Duration.ofHours(40));
        Hold soon = holds.place(invoice(1).id(), Money.rub(100_00), Duration.ofHours(2));
        Hold beyond = holds.place(invoice(1).id(), Money.rub(100_00), Duration.ofHours(72));
        Hold released = holds.place(invoice(1).id(), Money.rub(100_00), Duration.ofHours(1));
        holds.releaseOnTheBalance(released.id());

        List<Long> expiring = holds.expiring(Duration.ofHours(48), 10_000).stream()
                .filter(h -> h.customerId() == customer)
                .map(Hold::id)
                .toList();

        assertThat(expiring).containsExactly(soon.id(), later.id());
        assertThat(expiring).doesNotContain(beyond.id(), released.id());
    }
}

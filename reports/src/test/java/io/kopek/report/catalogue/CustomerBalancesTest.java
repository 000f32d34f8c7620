package io.kopek.report.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.ReportsTestApplication;
import io.kopek.billing.Hold;
import io.kopek.billing.Holds;
import io.kopek.billing.Invoicing;
import io.kopek.billing.Payments;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.catalog.Catalog;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.ledger.AccountBalance;
import io.kopek.ledger.Ledger;
import io.kopek.money.Money;
import io.kopek.pricing.Pricing;
import io.kopek.report.ReportFilters;
import io.kopek.testing.MutableClock;
import io.kopek.testing.TestClockConfiguration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Customers' advances of real top-ups, payments from the balance and holds (one still active, one captured in
 * part): today's figures are the ledger's own balances, an earlier day's are what the accounts held then.
 */
@SpringBootTest(classes = ReportsTestApplication.class)
@Import(TestClockConfiguration.class)
class CustomerBalancesTest {

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
    Ledger ledger;

    @Autowired
    MutableClock clock;

    @Autowired
    BusinessCalendar calendar;

    @Autowired
    CustomerBalances balances;

    @Autowired
    PlatformTransactionManager transactions;

    Shop shop;
    long company;
    long individual;
    LocalDate toppedUp;

    @BeforeEach
    void topUpsPaymentsAndHolds() {
        shop = new Shop(catalog, pricing, customers, invoicing, clock);
        String category = shop.category("advance", "standard");
        long product = shop.product(category, 100_00);
        company = shop.customer(CustomerType.COMPANY, "ООО Аванс");
        individual = shop.customer(CustomerType.INDIVIDUAL, "Ольга Аванс");

        // Holds are reserved at the database's time: the last steps happen now.
        clock.set(Instant.now());
        toppedUp = calendar.today().minusDays(2);
        shop.on(toppedUp);
        payments.topUp(company, Money.rub(5000_00), "TU1-" + shop.run);
        payments.topUp(individual, Money.rub(1000_00), "TU2-" + shop.run);

        clock.set(Instant.now());
        long paid = shop.invoice(company, null, product, 12).id();
        payments.payFromBalance(paid, Money.rub(1200_00));
        holds.place(shop.invoice(company, null, product, 8).id(), null, null);
        Hold held = holds.place(shop.invoice(individual, null, product, 3).id(), null, null);
        holds.capture(held.id(), Money.rub(200_00));
    }

    @Test
    void todaysFiguresAreTheLedgersBalancesHeldAndAvailable() {
        List<Object[]> rows = read(filters(null, null, null), ledger.lastEntryId());

        assertThat(figures(rows, company)).containsExactly(3800_00L, 800_00L, 3000_00L);
        assertThat(figures(rows, individual)).containsExactly(800_00L, 0L, 800_00L);
        for (long customer : List.of(company, individual)) {
            AccountBalance ledgers = ledger.balance(Shop.balance(customer)).orElseThrow();
            assertThat(figures(rows, customer))
                    .containsExactly(
                            ledgers.posted().minor(),
                            ledgers.pendingOut().minor(),
                            ledgers.available().minor());
        }
        Object[] row =
                rows.stream().filter(r -> r[0].equals(company)).findFirst().orElseThrow();
        assertThat(Arrays.copyOfRange(row, 0, 5)).containsExactly(company, "ООО Аванс", "company", "7701234567", "RUB");
    }

    @Test
    void anEarlierDayShowsWhatTheAccountsHeldThen() {
        List<Object[]> then = read(filters(toppedUp, null, null), ledger.lastEntryId());
        List<Object[]> before = read(filters(toppedUp.minusDays(1), null, null), ledger.lastEntryId());

        assertThat(figures(then, company)).containsExactly(5000_00L, 0L, 5000_00L);
        assertThat(figures(then, individual)).containsExactly(1000_00L, 0L, 1000_00L);
        assertThat(before).noneMatch(r -> r[0].equals(company) || r[0].equals(individual));
    }

    @Test
    void filtersByCustomerTypeAndCustomer() {
        List<Object[]> individuals = read(filters(null, CustomerType.INDIVIDUAL, null), ledger.lastEntryId());
        List<Object[]> one = read(filters(null, null, company), ledger.lastEntryId());

        assertThat(individuals).anyMatch(r -> r[0].equals(individual)).allMatch(r -> r[2].equals("individual"));
        assertThat(one).extracting(r -> r[0]).containsExactly(company);
    }

    @Test
    void entriesAfterTheWatermarkAreLeftOut() {
        long watermark = ledger.lastEntryId();
        payments.topUp(individual, Money.rub(1_00), "TU3-" + shop.run);

        assertThat(figures(read(filters(null, null, individual), watermark), individual))
                .containsExactly(800_00L, 0L, 800_00L);
        assertThat(figures(read(filters(null, null, individual), ledger.lastEntryId()), individual))
                .containsExactly(801_00L, 0L, 801_00L);
    }

    private static ReportFilters filters(LocalDate day, CustomerType type, Long customer) {
        return new ReportFilters(null, day, null, null, null, null, type, customer, null, null);
    }

    private List<Object[]> read(ReportFilters filters, long watermark) {
        return new Snapshot(transactions).detail(balances, filters, calendar.today(), watermark);
    }

    /** Balance, held, available. */
    private static Object[] figures(List<Object[]> rows, long customer) {
        Optional<Object[]> row =
                rows.stream().filter(r -> r[0].equals(customer)).findFirst();
        return row.map(r -> Arrays.copyOfRange(r, 5, 8))
                .orElseThrow(() -> new AssertionError("no row of customer " + customer));
    }
}

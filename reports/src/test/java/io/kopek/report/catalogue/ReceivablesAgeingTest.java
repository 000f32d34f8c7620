package io.kopek.report.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.ReportsTestApplication;
import io.kopek.billing.Invoice;
import io.kopek.billing.Invoicing;
import io.kopek.billing.Payments;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.catalog.Catalog;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.ledger.Ledger;
import io.kopek.money.Money;
import io.kopek.pricing.Pricing;
import io.kopek.report.ReportFilters;
import io.kopek.testing.MutableClock;
import io.kopek.testing.TestClockConfiguration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Receivables by age of real invoices: a company with an invoice due in ten days and one due at once, part-paid and
 * paid later; an individual with an invoice due in a fortnight and one cancelled the next day. The buckets move as
 * the clock does, a past day is read as it was then (payments made since do not count), and the totals are the
 * ledger's receivable balances.
 */
@SpringBootTest(classes = ReportsTestApplication.class)
@Import(TestClockConfiguration.class)
class ReceivablesAgeingTest {

    static final LocalDate ISSUED = LocalDate.of(2026, 3, 1);
    static final LocalDate LAST = LocalDate.of(2026, 6, 10);

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
    Ledger ledger;

    @Autowired
    MutableClock clock;

    @Autowired
    BusinessCalendar calendar;

    @Autowired
    ReceivablesAgeing ageing;

    @Autowired
    PlatformTransactionManager transactions;

    Shop shop;
    long company;
    long individual;

    @BeforeEach
    void invoicesIssuedPaidAndCancelled() {
        shop = new Shop(catalog, pricing, customers, invoicing, clock);
        String category = shop.category("ageing", "standard");
        company = shop.customer(CustomerType.COMPANY, "ООО Должник");
        individual = shop.customer(CustomerType.INDIVIDUAL, "Анна Должница");

        shop.on(ISSUED);
        Invoice dueInTenDays = shop.invoice(company, ISSUED.plusDays(10), shop.product(category, 1000_00), 1);
        Invoice dueAtOnce = shop.invoice(company, ISSUED, shop.product(category, 500_00), 1);
        shop.invoice(individual, LocalDate.of(2026, 3, 15), shop.product(category, 300_00), 1);
        Invoice cancelled = shop.invoice(individual, LocalDate.of(2026, 3, 31), shop.product(category, 100_00), 1);
        shop.on(ISSUED.plusDays(1));
        invoicing.cancel(cancelled.id());
        shop.on(LocalDate.of(2026, 3, 20));
        payments.recordBankTransfer(dueInTenDays.id(), Money.rub(400_00), "PP1-" + shop.run);
        shop.on(LocalDate.of(2026, 5, 1));
        payments.recordBankTransfer(dueAtOnce.id(), Money.rub(500_00), "PP2-" + shop.run);
        shop.on(LAST);
    }

    @Test
    void theBucketsMoveAsTheClockMoves() {
        shop.on(LocalDate.of(2026, 3, 15));
        List<Object[]> march = today(ofShop());
        shop.on(LAST);
        List<Object[]> june = today(ofShop());

        // 4 and 14 days past due; the individual's invoice is due that very day
        assertThat(figures(march, company)).containsExactly(2L, 0L, 1500_00L, 0L, 0L, 0L, 1500_00L);
        assertThat(figures(march, individual)).containsExactly(1L, 300_00L, 0L, 0L, 0L, 0L, 300_00L);
        // 91 days past due, 400.00 paid on it; the other paid in full; 87 days past due
        assertThat(figures(june, company)).containsExactly(1L, 0L, 0L, 0L, 0L, 600_00L, 600_00L);
        assertThat(figures(june, individual)).containsExactly(1L, 0L, 0L, 0L, 300_00L, 0L, 300_00L);
    }

    @Test
    void aPastDayIsReadAsItWasThenNotAsTheInvoicesAreNow() {
        List<Object[]> issued = asOf(ISSUED, ofShop());
        List<Object[]> april = asOf(LocalDate.of(2026, 4, 15), ofShop());

        assertThat(figures(issued, company)).containsExactly(2L, 1500_00L, 0L, 0L, 0L, 0L, 1500_00L);
        // the cancelled invoice was still owed on the day it was issued
        assertThat(figures(issued, individual)).containsExactly(2L, 400_00L, 0L, 0L, 0L, 0L, 400_00L);
        // 35 and 45 days past due, the first part-paid by then, the second not yet
        assertThat(figures(april, company)).containsExactly(2L, 0L, 0L, 1100_00L, 0L, 0L, 1100_00L);
        assertThat(figures(april, individual)).containsExactly(1L, 0L, 0L, 300_00L, 0L, 0L, 300_00L);
    }

    @Test
    void theTotalsAreTheLedgersReceivableBalancesAndEachRowNamesItsCustomer() {
        List<Object[]> rows = today(ofShop());

        assertThat(rows).hasSize(2);
        assertThat(figures(rows, company)[6])
                .isEqualTo(ledger.balance(Shop.receivable(company))
                        .orElseThrow()
                        .posted()
                        .minor());
        assertThat(figures(rows, individual)[6])
                .isEqualTo(ledger.balance(Shop.receivable(individual))
                        .orElseThrow()
                        .posted()
                        .minor());
        Object[] row =
                rows.stream().filter(r -> r[0].equals(company)).findFirst().orElseThrow();
        assertThat(Arrays.copyOfRange(row, 0, 5))
                .containsExactly(company, "ООО Должник", "company", "7701234567", "RUB");
    }

    @Test
    void filtersByMerchantCustomerTypeAndCustomer() {
        List<Object[]> individuals = today(new ReportFilters(
                null, null, null, shop.merchantCode, null, null, CustomerType.INDIVIDUAL, null, null, null));
        List<Object[]> one = today(new ReportFilters(null, null, null, null, null, null, null, company, null, null));
        List<Object[]> otherMerchant =
                today(new ReportFilters(null, null, null, "NOSUCH", null, null, null, company, null, null));

        assertThat(individuals).extracting(r -> r[0]).containsExactly(individual);
        assertThat(one).extracting(r -> r[0]).containsExactly(company);
        assertThat(otherMerchant).isEmpty();
    }

    @Test
    void entriesAfterTheWatermarkAreLeftOut() {
        long watermark = ledger.lastEntryId();
        Invoice later = shop.invoice(company, LAST, shop.product(shop.category("late", "standard"), 70_00), 1);

        List<Object[]> before = new Snapshot(transactions).detail(ageing, ofShop(), LAST, watermark);
        List<Object[]> after = today(ofShop());

        assertThat(figures(before, company)).containsExactly(1L, 0L, 0L, 0L, 0L, 600_00L, 600_00L);
        assertThat(figures(after, company)).containsExactly(2L, 70_00L, 0L, 0L, 0L, 600_00L, 670_00L);
        assertThat(later.total()).isEqualTo(Money.rub(70_00));
    }

    private ReportFilters ofShop() {
        return new ReportFilters(null, null, null, shop.merchantCode, null, null, null, null, null, null);
    }

    /** As of today by the clock: the report's default day. */
    private List<Object[]> today(ReportFilters filters) {
        return new Snapshot(transactions).detail(ageing, filters, calendar.today(), ledger.lastEntryId());
    }

    private List<Object[]> asOf(LocalDate day, ReportFilters filters) {
        ReportFilters on = new ReportFilters(
                null,
                day,
                null,
                filters.merchant(),
                null,
                null,
                filters.customerType(),
                filters.customer(),
                null,
                null);
        return new Snapshot(transactions).detail(ageing, on, calendar.today(), ledger.lastEntryId());
    }

    /** Invoices, not yet due, 0–30, 31–60, 61–90, over 90, total. */
    private static Object[] figures(List<Object[]> rows, long customer) {
        return rows.stream()
                .filter(r -> r[0].equals(customer))
                .findFirst()
                .map(r -> Arrays.copyOfRange(r, 5, 12))
                .orElseThrow(() -> new AssertionError("no row of customer " + customer));
    }
}

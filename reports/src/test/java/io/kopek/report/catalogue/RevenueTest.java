package io.kopek.report.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.kopek.ReportsTestApplication;
import io.kopek.billing.Invoicing;
import io.kopek.catalog.Catalog;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.ledger.Ledger;
import io.kopek.pricing.Pricing;
import io.kopek.pricing.VatRate;
import io.kopek.report.ReportFilters;
import io.kopek.testing.MutableClock;
import io.kopek.testing.TestClockConfiguration;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Revenue of invoices issued on the last day of 2025 (standard VAT 20 %) and the first of 2026 (22 %), with a
 * reduced-rate category and an invoice cancelled the day it was issued: split by category, customer type and the
 * rate each line was priced at, and tied to the ledger's revenue and VAT postings of the same days.
 */
@SpringBootTest(classes = ReportsTestApplication.class)
@Import(TestClockConfiguration.class)
class RevenueTest {

    static final LocalDate OLD_RATE = LocalDate.of(2025, 12, 31);
    static final LocalDate NEW_RATE = LocalDate.of(2026, 1, 1);
    static final VatRate STANDARD_2025 = new VatRate("standard", 2000);
    static final VatRate STANDARD_2026 = new VatRate("standard", 2200);
    static final VatRate REDUCED = new VatRate("reduced", 1000);

    @Autowired
    Catalog catalog;

    @Autowired
    Pricing pricing;

    @Autowired
    Customers customers;

    @Autowired
    Invoicing invoicing;

    @Autowired
    Ledger ledger;

    @Autowired
    MutableClock clock;

    @Autowired
    Revenue revenue;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    Shop shop;
    String standard;
    String reduced;

    @BeforeEach
    void invoicesAcrossTheChangeOfRate() {
        shop = new Shop(catalog, pricing, customers, invoicing, clock);
        standard = shop.category("std", "standard");
        reduced = shop.category("red", "reduced");
        long service = shop.product(standard, 1200_00);
        long book = shop.product(reduced, 550_00);
        long individual = shop.customer(CustomerType.INDIVIDUAL, "Иван Покупатель");
        long company = shop.customer(CustomerType.COMPANY, "ООО Покупатель");

        shop.on(OLD_RATE);
        shop.invoice(individual, null, service, 1);
        shop.invoice(company, null, service, 2);
        shop.on(NEW_RATE);
        shop.invoice(individual, null, service, 1);
        shop.invoice(company, null, book, 2);
        invoicing.cancel(shop.invoice(company, null, service, 5).id());
    }

    @Test
    void revenueIsSplitByCategoryCustomerTypeAndTheRateInForceOnEachDay() {
        List<Object[]> rows = read(period(OLD_RATE, NEW_RATE, null, null));

        assertThat(rows)
                .extracting(r -> tuple(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9]))
                .containsExactly(
                        line(reduced, "company", REDUCED, 1, 1100_00),
                        line(standard, "company", STANDARD_2025, 1, 2400_00),
                        line(standard, "individual", STANDARD_2025, 1, 1200_00),
                        line(standard, "individual", STANDARD_2026, 1, 1200_00));
    }

    @Test
    void theVatRatesAreTotalledAsTheSalesBookSumsThem() {
        var tables = new Snapshot(transactions)
                .read(revenue, period(OLD_RATE, NEW_RATE, null, null), NEW_RATE, ledger.lastEntryId());
        List<Object[]> rates = tables.get("По ставкам НДС");

        long oldVat = STANDARD_2025.includedIn(1200_00) + STANDARD_2025.includedIn(2400_00);
        long newVat = STANDARD_2026.includedIn(1200_00);
        assertThat(rates)
                .extracting(r -> tuple(r[0], r[1], r[2], r[3], r[4], r[5], r[6]))
                .containsExactly(
                        tuple("RUB", "reduced", new BigDecimal("10.00"), 1L, 1000_00L, 100_00L, 1100_00L),
                        tuple("RUB", "standard", new BigDecimal("20.00"), 2L, 3600_00L - oldVat, oldVat, 3600_00L),
                        tuple("RUB", "standard", new BigDecimal("22.00"), 1L, 1200_00L - newVat, newVat, 1200_00L));
        List<Object[]> detail = tables.get("Выручка");
        for (int c : new int[] {4, 5, 6}) {
            assertThat(sum(rates, c)).isEqualTo(sum(detail, c + 3));
        }
    }

    @Test
    void theTotalsAreTheLedgersRevenueAndVatPostingsOfTheSameDays() {
        for (LocalDate[] days :
                List.of(new LocalDate[] {OLD_RATE, OLD_RATE}, new LocalDate[] {NEW_RATE, NEW_RATE}, new LocalDate[] {
                    OLD_RATE, NEW_RATE
                })) {
            List<Object[]> rows = read(period(days[0], days[1], null, null));

            for (String category : List.of(standard, reduced)) {
                assertThat(sum(rows.stream().filter(r -> r[0].equals(category)).toList(), 7))
                        .as("net revenue of %s from %s to %s", category, days[0], days[1])
                        .isEqualTo(posted("revenue:" + category + ":RUB", days[0], days[1]));
            }
            assertThat(sum(rows, 8))
                    .as("VAT from %s to %s", days[0], days[1])
                    .isEqualTo(posted("vat:payable:RUB", days[0], days[1]));
            assertThat(sum(rows, 9)).isEqualTo(sum(rows, 7) + sum(rows, 8));
        }
        long net = sum(read(period(OLD_RATE, NEW_RATE, null, null)), 7);
        assertThat(net)
                .isEqualTo(ledger.balance("revenue:" + standard + ":RUB")
                                .orElseThrow()
                                .posted()
                                .minor()
                        + ledger.balance("revenue:" + reduced + ":RUB")
                                .orElseThrow()
                                .posted()
                                .minor());
    }

    @Test
    void filtersByCategoryAndCustomerType() {
        List<Object[]> books = read(period(OLD_RATE, NEW_RATE, reduced, null));
        List<Object[]> individuals = read(period(OLD_RATE, NEW_RATE, null, CustomerType.INDIVIDUAL));
        List<Object[]> lastYear = read(period(OLD_RATE, OLD_RATE, null, null));

        assertThat(books).extracting(r -> r[0]).containsExactly(reduced);
        assertThat(individuals).extracting(r -> r[4]).containsExactly(new BigDecimal("20.00"), new BigDecimal("22.00"));
        assertThat(lastYear).extracting(r -> r[4]).containsOnly(new BigDecimal("20.00"));
    }

    private ReportFilters period(LocalDate from, LocalDate to, String category, CustomerType type) {
        return new ReportFilters(from, to, null, shop.merchantCode, null, category, type, null, null, null);
    }

    private List<Object[]> read(ReportFilters filters) {
        return new Snapshot(transactions).detail(revenue, filters, NEW_RATE, ledger.lastEntryId());
    }

    private static org.assertj.core.groups.Tuple line(
            String category, String type, VatRate rate, long lines, long gross) {
        long vat = rate.includedIn(gross);
        return tuple(
                category,
                type,
                "RUB",
                rate.code(),
                BigDecimal.valueOf(rate.rateBp(), 2),
                1L,
                lines,
                gross - vat,
                vat,
                gross);
    }

    private static long sum(List<Object[]> rows, int column) {
        return rows.stream().mapToLong(r -> (long) r[column]).sum();
    }

    /**
     * What the ledger credited less what it debited on the account for this shop's invoices (issued and cancelled)
     * on those business days.
     */
    private long posted(String account, LocalDate from, LocalDate to) {
        return jdbc.sql("select coalesce(sum(case side when 'C' then amount else -amount end), 0) from ledger_posting"
                        + " where account_code = ? and kind in ('invoice_issued', 'invoice_cancelled')"
                        + " and starts_with(reference, ?)"
                        + " and posted_at >= (cast(? as date)::timestamp at time zone 'Europe/Moscow')"
                        + " and posted_at < ((cast(? as date) + 1)::timestamp at time zone 'Europe/Moscow')")
                .params(account, shop.merchantCode + "-", from, to)
                .query(Long.class)
                .single();
    }
}

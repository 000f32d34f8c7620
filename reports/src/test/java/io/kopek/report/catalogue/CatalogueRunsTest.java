package io.kopek.report.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.ReportsTestApplication;
import io.kopek.billing.Invoice;
import io.kopek.billing.Invoicing;
import io.kopek.billing.Payments;
import io.kopek.catalog.Catalog;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.money.Money;
import io.kopek.pricing.Pricing;
import io.kopek.pricing.VatRate;
import io.kopek.report.NewReportRun;
import io.kopek.report.ReportFilters;
import io.kopek.report.ReportFormat;
import io.kopek.report.ReportGenerator;
import io.kopek.report.ReportRun;
import io.kopek.report.ReportRunState;
import io.kopek.report.ReportRuns;
import io.kopek.report.ReportSummary;
import io.kopek.report.ReportType;
import io.kopek.testing.MutableClock;
import io.kopek.testing.TestClockConfiguration;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The four reports generated as runs through the generator and the writers: each run succeeds, and its control
 * totals say what the ledger says (the turnover sheet's debits equal its credits, the revenue is what was invoiced).
 */
@SpringBootTest(classes = ReportsTestApplication.class)
@Import(TestClockConfiguration.class)
class CatalogueRunsTest {

    static final LocalDate DAY = LocalDate.of(2026, 10, 15);

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
    MutableClock clock;

    @Autowired
    ReportRuns runs;

    @Autowired
    ReportGenerator generator;

    @Test
    void eachReportIsGeneratedAsARunWhoseControlTotalsTieOut() {
        Shop shop = new Shop(catalog, pricing, customers, invoicing, clock);
        long customer = shop.customer(CustomerType.SOLE_PROPRIETOR, "ИП =Формулов");
        long product = shop.product(shop.category("run", "standard"), 1500_00);
        shop.on(DAY);
        payments.topUp(customer, Money.rub(1200_00), "TU-" + shop.run);
        Invoice invoice = shop.invoice(customer, DAY, product, 1);
        payments.payFromBalance(invoice.id(), Money.rub(1000_00));
        clock.set(Instant.now());
        LocalDate today = LocalDate.now(Shop.MOSCOW);

        ReportRun turnover = generate(ReportType.TURNOVER, ReportFormat.XLSX, Snapshot.period(DAY.minusDays(1), today));
        ReportRun turnoverCsv =
                generate(ReportType.TURNOVER, ReportFormat.CSV, Snapshot.period(DAY.minusDays(1), today));
        ReportRun ageing = generate(
                ReportType.RECEIVABLES_AGEING,
                ReportFormat.XLSX,
                new ReportFilters(null, null, null, shop.merchantCode, null, null, null, null, null, null));
        ReportRun balances = generate(
                ReportType.CUSTOMER_BALANCES,
                ReportFormat.CSV,
                new ReportFilters(null, null, null, null, null, null, null, customer, null, null));
        ReportRun revenue = generate(
                ReportType.REVENUE,
                ReportFormat.XLSX,
                new ReportFilters(DAY, DAY, null, shop.merchantCode, null, null, null, null, null, null));

        Map<String, BigDecimal> sheet = totals(turnover, "ОСВ");
        assertThat(sheet.get("opening_debit")).isEqualTo(sheet.get("opening_credit"));
        assertThat(sheet.get("debit_turnover")).isEqualTo(sheet.get("credit_turnover"));
        assertThat(sheet.get("closing_debit")).isEqualTo(sheet.get("closing_credit"));
        assertThat(sheet.get("debit_turnover")).isPositive();
        assertThat(totals(turnoverCsv, "ОСВ")).isEqualTo(sheet);
        // 1 500.00 invoiced, 1 000.00 of it paid from the balance, the rest owed since the due date
        assertThat(totals(ageing, "Дебиторка").get("total")).isEqualByComparingTo("50000");
        assertThat(totals(balances, "Авансы").get("balance")).isEqualByComparingTo("20000");
        long vat = new VatRate("standard", 2200).includedIn(1500_00);
        assertThat(totals(revenue, "Выручка"))
                .containsEntry("gross", BigDecimal.valueOf(1500_00))
                .containsEntry("vat", BigDecimal.valueOf(vat))
                .containsEntry("net", BigDecimal.valueOf(1500_00 - vat));
        assertThat(totals(revenue, "По ставкам НДС").get("gross")).isEqualByComparingTo("150000");
    }

    private ReportRun generate(ReportType type, ReportFormat format, ReportFilters filters) {
        ReportRun run = generator.generate(runs.request(NewReportRun.of(type, format, filters), "accountant")
                .id());
        assertThat(run.state()).as("%s %s: %s", type, format, run.failure()).isEqualTo(ReportRunState.SUCCEEDED);
        assertThat(run.rowCount()).isPositive();
        return run;
    }

    private static Map<String, BigDecimal> totals(ReportRun run, String table) {
        return run.controlTotals().tables().stream()
                .filter(t -> t.table().equals(table))
                .findFirst()
                .orElseThrow(() -> new AssertionError(run.report() + " has no table " + table))
                .totals()
                .stream()
                .collect(Collectors.toMap(ReportSummary.ControlTotal::column, ReportSummary.ControlTotal::value));
    }
}

package io.kopek.report.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kopek.customer.CustomerType;
import io.kopek.report.Filter;
import io.kopek.report.InvalidFilterException;
import io.kopek.report.ReportFilters;
import io.kopek.report.ReportType;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every rule of a report's filters, each refusal naming its field (in {@code field()} as the API names it, and first in
 * the message), so that a hostile value is refused before any SQL is made, let alone run.
 */
class ReportFiltersTest {

    static final LocalDate TODAY = LocalDate.of(2026, 12, 4);
    static final LocalDate DAY = LocalDate.of(2026, 12, 3);

    static ReportFilters of(
            LocalDate from,
            LocalDate to,
            String provider,
            String merchant,
            String status,
            String category,
            CustomerType customerType,
            Long customer,
            Long min,
            Long max) {
        return new ReportFilters(from, to, provider, merchant, status, category, customerType, customer, min, max);
    }

    static ReportFilters payments(String provider, String merchant, String status, Long customer, Long min, Long max) {
        return of(DAY, DAY, provider, merchant, status, null, null, customer, min, max);
    }

    static void refused(ReportFilters filters, ReportType type, String field) {
        assertThatThrownBy(() -> filters.validFor(type, TODAY))
                .isInstanceOfSatisfying(InvalidFilterException.class, e -> {
                    assertThat(e.field()).isEqualTo("filters." + field);
                    assertThat(e.getMessage()).startsWith(field + ": ");
                });
    }

    @Test
    void goodFiltersPassUnchanged() {
        ReportFilters f = payments("yookassa", "SHOP1", "card", 7L, 100L, 200L);

        assertThat(f.validFor(ReportType.PAYMENTS, TODAY)).isEqualTo(f);
    }

    @Test
    void aFilterTheReportDoesNotTakeIsRefusedByName() {
        refused(of(DAY, DAY, "yookassa", null, null, null, null, null, null, null), ReportType.TURNOVER, "provider");
        refused(of(DAY, DAY, null, null, null, "books", null, null, null, null), ReportType.PAYMENTS, "category");
        refused(of(DAY, DAY, null, null, "done", null, null, null, null, null), ReportType.REFUNDS, "status");
    }

    @Test
    void aFilterTheReportNeedsIsRequiredByName() {
        refused(of(DAY, DAY, null, null, null, null, null, null, null, null), ReportType.RECONCILIATION, "provider");
        refused(of(null, DAY, null, null, null, null, null, null, null, null), ReportType.PAYMENTS, "from");
        refused(of(DAY, null, null, null, null, null, null, null, null, null), ReportType.RECEIPTS, "to");
    }

    @Test
    void hostileCodesNeverPass() {
        String longest = "x".repeat(10_000);
        for (String hostile : List.of(
                "yoo'kassa", "a\"b", "x; drop table payment;--", "a';--", ";--", longest, "a b", "", "ю", "_a")) {
            refused(payments(hostile, null, null, null, null, null), ReportType.PAYMENTS, "provider");
            refused(payments(null, hostile, null, null, null, null), ReportType.PAYMENTS, "merchant");
            refused(of(DAY, DAY, null, null, null, hostile, null, null, null, null), ReportType.REVENUE, "category");
            refused(payments(null, null, hostile, null, null, null), ReportType.PAYMENTS, "status");
        }
        assertThat(payments("a".repeat(64), null, null, null, null, null).validFor(ReportType.PAYMENTS, TODAY))
                .isNotNull();
        refused(payments("a".repeat(65), null, null, null, null, null), ReportType.PAYMENTS, "provider");
    }

    @Test
    void aStatusIsOneOfTheReportsOwn() {
        refused(payments(null, null, "succeeded", null, null, null), ReportType.PAYMENTS, "status");
        refused(of(DAY, DAY, null, null, "CARD", null, null, null, null, null), ReportType.PAYMENTS, "status");
        refused(
                of(DAY, DAY, "yookassa", null, "discrepancy", null, null, null, null, null),
                ReportType.RECONCILIATION,
                "status");
        for (ReportType type : ReportType.values()) {
            for (String status : type.statuses()) {
                // with the report's required filters, and the status
                String provider = type.required().contains(Filter.PROVIDER) ? "p" : null;
                String merchant = type.required().contains(Filter.MERCHANT) ? "M" : null;
                assertThat(of(DAY, DAY, provider, merchant, status, null, null, null, null, null)
                                .validFor(type, TODAY)
                                .status())
                        .isEqualTo(status);
            }
        }
    }

    @Test
    void aPeriodRunsForwardsAndAtMostAYearAndADay() {
        refused(of(TODAY, DAY, null, null, null, null, null, null, null, null), ReportType.PAYMENTS, "from");
        refused(
                of(TODAY.minusDays(ReportFilters.MAX_DAYS), TODAY, null, null, null, null, null, null, null, null),
                ReportType.PAYMENTS,
                "to");
        assertThat(of(
                                TODAY.minusDays(ReportFilters.MAX_DAYS - 1),
                                TODAY,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null)
                        .validFor(ReportType.PAYMENTS, TODAY)
                        .from())
                .isEqualTo(TODAY.minusDays(ReportFilters.MAX_DAYS - 1));
    }

    @Test
    void aCustomerIdIsPositive() {
        refused(payments(null, null, null, 0L, null, null), ReportType.PAYMENTS, "customer");
        refused(payments(null, null, null, -5L, null, null), ReportType.PAYMENTS, "customer");
    }

    @Test
    void amountsAreWithinBillingsBoundsAndTheRightWayRound() {
        refused(payments(null, null, null, null, -1L, null), ReportType.PAYMENTS, "min_amount");
        refused(payments(null, null, null, null, null, -1L), ReportType.PAYMENTS, "max_amount");
        refused(
                payments(null, null, null, null, null, ReportFilters.MAX_AMOUNT + 1),
                ReportType.PAYMENTS,
                "max_amount");
        refused(payments(null, null, null, null, Long.MAX_VALUE, null), ReportType.PAYMENTS, "min_amount");
        refused(payments(null, null, null, null, 500L, 499L), ReportType.PAYMENTS, "min_amount");
        assertThat(payments(null, null, null, null, 500L, 500L)
                        .validFor(ReportType.PAYMENTS, TODAY)
                        .maxAmount())
                .isEqualTo(500L);
    }

    @Test
    void aReportAsOfADayIsAsOfTodayUnlessToIsGiven() {
        ReportFilters none = ReportFilters.none();

        assertThat(none.validFor(ReportType.CUSTOMER_BALANCES, TODAY).to()).isEqualTo(TODAY);
        assertThat(of(null, DAY, null, null, null, null, null, null, null, null)
                        .validFor(ReportType.CUSTOMER_BALANCES, TODAY)
                        .to())
                .isEqualTo(DAY);
        refused(of(DAY, null, null, null, null, null, null, null, null, null), ReportType.PAYMENTS, "to");
    }

    @Test
    void anUnknownReportIsRefusedNamingTheReport() {
        assertThatThrownBy(() -> ReportType.of("payments'; --"))
                .isInstanceOfSatisfying(
                        InvalidFilterException.class, e -> assertThat(e.field()).isEqualTo("report"));
        assertThat(ReportType.of("payments")).isEqualTo(ReportType.PAYMENTS);
    }
}

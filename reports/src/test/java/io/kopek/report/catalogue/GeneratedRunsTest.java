package io.kopek.report.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.billing.Holds;
import io.kopek.billing.Invoice;
import io.kopek.billing.Payment;
import io.kopek.money.Money;
import io.kopek.reconciliation.Reconciliation;
import io.kopek.report.NewReportRun;
import io.kopek.report.ReportFormat;
import io.kopek.report.ReportGenerator;
import io.kopek.report.ReportRun;
import io.kopek.report.ReportRunState;
import io.kopek.report.ReportRuns;
import io.kopek.report.ReportSummary;
import io.kopek.report.ReportType;
import io.kopek.report.Table;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Each of these reports made as a run, the way accountants get them: generated through the real generator and
 * writers into a file whose recorded row counts and control totals are the tables' own.
 */
class GeneratedRunsTest extends CatalogueTest {

    @Autowired
    ReportRuns runs;

    @Autowired
    ReportGenerator generator;

    @Autowired
    Holds holds;

    @Autowired
    Reconciliation reconciliation;

    void aDayOfEverything() {
        Invoice byCard = invoice(1);
        Payment card = payments.recordCardPayment(byCard.id(), byCard.total(), provider, "tg-" + run);
        payments.recordCardRefund(byCard.id(), card.id(), Money.rub(100_00), "returned");
        payments.topUp(customer, Money.rub(5_000_00), "TU-" + run);
        holds.place(invoice(2).id(), null, null);
        partitions.ensure("registry_line", today); // as the import makes it before it writes the lines
        long file = jdbc.sql("insert into registry_file (provider, name, sha256, business_date, status)"
                        + " values (?, ?, ?, ?, 'imported') returning id")
                .params(provider, "registry-" + UUID.randomUUID() + ".csv", new byte[32], today)
                .query(Long.class)
                .single();
        jdbc.sql("insert into registry_line (business_date, file_id, line_no, provider_payment_id, order_number,"
                        + " operation, amount, commission, settled_amount, currency, operated_at)"
                        + " values (?, ?, 1, ?, null, 'payment', 100000, 2500, 97500, 'RUB', ?)")
                .params(today, file, "tg-" + run, Timestamp.from(Instant.now()))
                .update();
        jdbc.sql("insert into registry_line (business_date, file_id, line_no, provider_payment_id, order_number,"
                        + " operation, amount, commission, settled_amount, currency, operated_at)"
                        + " values (?, ?, 2, ?, null, 'payment', 70000, 1000, 69000, 'RUB', ?)")
                .params(today, file, "tz-" + run, Timestamp.from(Instant.now()))
                .update();
        reconciliation.run(provider, today);
    }

    F filtersOf(ReportType type) {
        F f = today();
        if (type.filters().contains(io.kopek.report.Filter.PROVIDER)) {
            f.provider(provider);
        }
        if (type.filters().contains(io.kopek.report.Filter.MERCHANT)) {
            f.merchant(merchantCode);
        }
        return f;
    }

    @Test
    void eachReportIsGeneratedInEveryTableFormatWithItsTablesCountsAndTotals() {
        aDayOfEverything();

        for (ReportType type : List.of(
                ReportType.RECONCILIATION,
                ReportType.PAYMENTS,
                ReportType.REFUNDS,
                ReportType.HOLDS,
                ReportType.COMMISSIONS,
                ReportType.RECEIPTS,
                ReportType.UNFISCALIZED)) {
            F filters = filtersOf(type);
            List<Read> tables = tables(type, filters);
            for (ReportFormat format : List.of(ReportFormat.XLSX, ReportFormat.CSV)) {
                ReportRun requested = runs.request(NewReportRun.of(type, format, filters.filters()), "accountant");
                ReportRun done = generator.generate(requested.id());

                assertThat(done.state())
                        .as(type + " " + format + ": " + done.failure())
                        .isEqualTo(ReportRunState.SUCCEEDED);
                List<Read> written = format == ReportFormat.CSV
                        ? tables.stream()
                                .filter(t -> t.table().kind() == Table.Kind.DETAIL)
                                .toList()
                        : tables;
                assertThat(done.controlTotals().tables())
                        .extracting(ReportSummary.TableSummary::table, ReportSummary.TableSummary::rows)
                        .as(type + " " + format)
                        .containsExactlyElementsOf(written.stream()
                                .map(t -> org.assertj.core.groups.Tuple.tuple(
                                        t.table().name(), (long) t.rows().size()))
                                .toList());
                for (int i = 0; i < written.size(); i++) {
                    Read read = written.get(i);
                    for (ReportSummary.ControlTotal total :
                            done.controlTotals().tables().get(i).totals()) {
                        int column = read.table().columns().stream()
                                .map(c -> c.name())
                                .toList()
                                .indexOf(total.column());
                        assertThat(total.value())
                                .as(type + " " + read.table().name() + "." + total.column())
                                .isEqualByComparingTo(BigDecimal.valueOf(sum(read.rows(), column)));
                    }
                }
            }
        }
        assertThat(detail(ReportType.PAYMENTS, filtersOf(ReportType.PAYMENTS)))
                .as("the top-up has no merchant")
                .hasSize(1);
        assertThat(detail(ReportType.RECONCILIATION, filtersOf(ReportType.RECONCILIATION)))
                .as("the line the ledger lacks, the refund the registry lacks")
                .hasSize(2);
    }
}

package io.kopek.report.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.billing.Invoice;
import io.kopek.billing.Payment;
import io.kopek.reconciliation.Discrepancies;
import io.kopek.reconciliation.Discrepancy;
import io.kopek.reconciliation.Reconciliation;
import io.kopek.reconciliation.ReconciliationEvents.Settlement;
import io.kopek.reconciliation.ReconciliationRun;
import io.kopek.reconciliation.ResultLine;
import io.kopek.report.ReportType;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The reconciliation report and the providers' commissions over a day reconciled twice: card payments recorded by
 * billing, registry lines as the intake leaves them, the runs, an accountant's comments and resolution, all through
 * the owners' services; the figures checked against the runs' own results, summary and discrepancies, and the ledger.
 */
class ReconciliationAndCommissionsTest extends CatalogueTest {

    @Autowired
    Reconciliation reconciliation;

    @Autowired
    Discrepancies discrepancies;

    Payment matched;
    Payment mismatched;
    Payment lateInRegistry;
    long file;
    ReconciliationRun first;
    ReconciliationRun last;
    Discrepancy resolved;

    /**
     * A matched payment (25.00 commission); one the registry states at 999.00 (resolved with two comments); one
     * missing from the registry at the first run and there by the second (its discrepancy cleared, 50.00 commission);
     * a registry line the ledger does not have.
     */
    @BeforeEach
    void aDayReconciledTwice() {
        Instant noon = Instant.now();
        matched = paid(invoice(1), "tpa-" + run);
        mismatched = paid(invoice(1), "tpb-" + run);
        lateInRegistry = paid(invoice(2), "tpc-" + run);
        file = file();
        line(file, 1, "tpa-" + run, "payment", 1_000_00, 25_00, noon);
        line(file, 2, "tpb-" + run, "payment", 999_00, 25_00, noon);
        line(file, 3, "tpd-" + run, "payment", 500_00, 12_50, noon);
        first = reconciliation.run(provider, today);
        resolved = discrepancies.list(provider, today, "open", 0, 100).stream()
                .filter(d -> "amount_mismatch".equals(d.result()))
                .findFirst()
                .orElseThrow();
        discrepancies.comment(resolved.id(), "alice", "the registry is short by a rouble");
        discrepancies.comment(resolved.id(), "bob", "asked the provider");
        resolved = discrepancies.resolve(resolved.id(), "carol", "written off");
        line(file, 4, "tpc-" + run, "payment", 2_000_00, 50_00, noon);
        last = reconciliation.run(provider, today);
    }

    Payment paid(Invoice invoice, String providerPaymentId) {
        return payments.recordCardPayment(invoice.id(), invoice.total(), provider, providerPaymentId);
    }

    long file() {
        partitions.ensure("registry_line", today); // as the import makes it before it writes the lines
        return jdbc.sql("insert into registry_file (provider, name, sha256, business_date, status)"
                        + " values (?, ?, ?, ?, 'imported') returning id")
                .params(provider, "registry-" + UUID.randomUUID() + ".csv", new byte[32], today)
                .query(Long.class)
                .single();
    }

    void line(long file, int no, String providerPaymentId, String operation, long amount, long commission, Instant at) {
        jdbc.sql("insert into registry_line (business_date, file_id, line_no, provider_payment_id, order_number,"
                        + " operation, amount, commission, settled_amount, currency, operated_at)"
                        + " values ((select business_date from registry_file where id = ?), ?, ?, ?, null, ?, ?, ?, ?,"
                        + " 'RUB', ?)")
                .params(
                        file,
                        file,
                        no,
                        providerPaymentId,
                        operation,
                        amount,
                        commission,
                        amount - commission,
                        Timestamp.from(at))
                .update();
    }

    List<ResultLine> results(ReconciliationRun run) {
        return reconciliation.results(run.id(), null, 0, 1000);
    }

    Discrepancy discrepancy(String result) {
        return discrepancies.list(provider, today, null, 0, 100).stream()
                .filter(d -> d.result().equals(result))
                .findFirst()
                .orElseThrow();
    }

    long fees() {
        return ledger.balance("provider:" + provider + ":fees:RUB")
                .map(b -> b.posted().minor())
                .orElse(0L);
    }

    static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    @Test
    void theSummaryByResultClassAddsUpTheLastRunsResults() {
        List<Read> tables = tables(ReportType.RECONCILIATION, today().provider(provider));
        List<Object[]> byResult = tables.get(0).rows();

        assertThat(column(byResult, 0)).containsExactlyElementsOf(ReportType.RECONCILIATION.statuses());
        Map<String, List<ResultLine>> results = results(last).stream()
                .collect(Collectors.groupingBy(r -> r.result().code()));
        for (Object[] row : byResult) {
            List<ResultLine> of = results.getOrDefault((String) row[0], List.of());
            assertThat(row)
                    .as((String) row[0])
                    .containsExactly(
                            row[0],
                            (long) of.size(),
                            of.stream()
                                    .mapToLong(r -> orZero(r.registryAmount()))
                                    .sum(),
                            of.stream().mapToLong(r -> orZero(r.ledgerAmount())).sum(),
                            of.stream()
                                    .mapToLong(r -> orZero(r.registryCommission()))
                                    .sum());
        }
        assertThat(byResult.get(0)).containsExactly("matched", 2L, 3_000_00L, 3_000_00L, 75_00L);
        assertThat(sum(byResult, 1)).isEqualTo(results(last).size()).isEqualTo(4);
    }

    @Test
    void theSettlementTotalsAreTheLastRunsOfEachDay() {
        List<Object[]> settlement = tables(ReportType.RECONCILIATION, today().provider(provider))
                .get(1)
                .rows();

        Settlement s = reconciliation.get(last.id()).summary().settlement();
        assertThat(settlement)
                .singleElement()
                .satisfies(row -> assertThat(row)
                        .containsExactly(
                                today,
                                "RUB",
                                s.ledgerExpects(),
                                s.registrySettles(),
                                s.registryCommission(),
                                s.registrySettles() - s.ledgerExpects()));
        // what the ledger expects: the payments less the rule's 2.5 %; what the registry settles: its lines net
        assertThat(s.ledgerExpects()).isEqualTo(4_000_00 - 100_00);
        assertThat(s.registrySettles()).isEqualTo(4_499_00 - 112_50);
    }

    @Test
    void theDetailListsWhatDidNotMatchWithItsDiscrepancyWhoResolvedItAndTheComments() {
        List<Object[]> detail = detail(ReportType.RECONCILIATION, today().provider(provider));

        Discrepancy missing = discrepancy("missing_in_ledger");
        Discrepancy cleared = discrepancy("missing_in_registry");
        assertThat(cleared.status()).isEqualTo("cleared");
        assertThat(column(detail, 13)).containsExactly(resolved.id(), missing.id(), cleared.id());

        assertThat(detail.get(0))
                .containsExactly(
                        today,
                        "amount_mismatch",
                        "payment",
                        "tpb-" + run,
                        mismatched.id(),
                        null,
                        file + ":2",
                        999_00L,
                        1_000_00L,
                        25_00L,
                        25_00L,
                        "RUB",
                        resolved.why(),
                        resolved.id(),
                        999_00L,
                        "resolved",
                        "carol",
                        local(resolved.resolvedAt()),
                        "written off",
                        "alice: the registry is short by a rouble; bob: asked the provider");
        assertThat(detail.get(1))
                .containsExactly(
                        today,
                        "missing_in_ledger",
                        "payment",
                        "tpd-" + run,
                        null,
                        null,
                        file + ":3",
                        500_00L,
                        null,
                        12_50L,
                        null,
                        "RUB",
                        missing.why(),
                        missing.id(),
                        500_00L,
                        "open",
                        null,
                        null,
                        null,
                        null);
        // gone from the last run, it is there by its discrepancy alone
        assertThat(detail.get(2))
                .containsExactly(
                        today,
                        "missing_in_registry",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        "RUB",
                        cleared.why(),
                        cleared.id(),
                        2_000_00L,
                        "cleared",
                        null,
                        null,
                        null,
                        null);
        assertThat(sum(detail, 7)).isEqualTo(999_00 + 500_00);
    }

    @Test
    void theStatusFilterShowsOneResultClassMatchedIncluded() {
        List<Read> tables =
                tables(ReportType.RECONCILIATION, today().provider(provider).status("matched"));

        assertThat(tables.get(0).rows())
                .singleElement()
                .satisfies(row -> assertThat(row).containsExactly("matched", 2L, 3_000_00L, 3_000_00L, 75_00L));
        assertThat(tables.get(2).rows())
                .extracting(r -> r[4], r -> r[1], r -> r[13])
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(matched.id(), "matched", null),
                        org.assertj.core.groups.Tuple.tuple(lateInRegistry.id(), "matched", null));

        List<Read> cleared =
                tables(ReportType.RECONCILIATION, today().provider(provider).status("missing_in_registry"));
        assertThat(cleared.get(0).rows())
                .singleElement()
                .satisfies(row -> assertThat(row).containsExactly("missing_in_registry", 0L, 0L, 0L, 0L));
        assertThat(column(cleared.get(2).rows(), 13))
                .containsExactly(discrepancy("missing_in_registry").id());
    }

    @Test
    void anotherProviderOrAnotherPeriodShowsNothingOfThisDay() {
        List<Read> elsewhere = tables(ReportType.RECONCILIATION, today().provider("other" + run));
        List<Read> before = tables(
                ReportType.RECONCILIATION,
                new F().from(today.minusDays(7)).to(today.minusDays(1)).provider(provider));

        for (List<Read> report : List.of(elsewhere, before)) {
            assertThat(sum(report.get(0).rows(), 1)).isZero();
            assertThat(report.get(1).rows()).isEmpty();
            assertThat(report.get(2).rows()).isEmpty();
        }
    }

    @Test
    void commissionsPutWhatTheLedgerPostedBesideWhatTheRegistryCharged() {
        List<Object[]> rows = detail(ReportType.COMMISSIONS, today().provider(provider));

        assertThat(fees()).isEqualTo(75_00);
        assertThat(rows)
                .singleElement()
                .satisfies(row -> assertThat(row).containsExactly(provider, today, "RUB", fees(), 75_00L, 75_00L, 0L));
        assertThat(detail(ReportType.COMMISSIONS, today()))
                .filteredOn(r -> r[0].equals(provider))
                .hasSize(1);
        assertThat(detail(
                        ReportType.COMMISSIONS,
                        new F().from(today.plusDays(1)).to(today.plusDays(2)).provider(provider)))
                .isEmpty();
    }

    @Test
    void commissionsReadTheLedgerOnlyUpToTheWatermark() {
        // the first run posted 25.00; the second's 50.00 are beyond a watermark taken between them
        long between = ledger.entries("provider:" + provider + ":fees:RUB", 0, 10)
                .getFirst()
                .id();

        List<Object[]> rows = tables(ReportType.COMMISSIONS, today().provider(provider), between)
                .getFirst()
                .rows();

        assertThat(rows)
                .singleElement()
                .satisfies(row ->
                        assertThat(row).containsExactly(provider, today, "RUB", 25_00L, 75_00L, 75_00L, -50_00L));
    }
}

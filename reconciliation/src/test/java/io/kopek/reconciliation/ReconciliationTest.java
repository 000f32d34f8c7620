package io.kopek.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.ReconciliationTestApplication;
import io.kopek.billing.Invoice;
import io.kopek.billing.Invoicing;
import io.kopek.billing.Payment;
import io.kopek.billing.Payments;
import io.kopek.billing.PlaceOrder;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.catalog.Catalog;
import io.kopek.catalog.NewProduct;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.NewCustomer;
import io.kopek.ledger.Ledger;
import io.kopek.money.Money;
import io.kopek.partition.DayPartitions;
import io.kopek.pricing.NewBillingRule;
import io.kopek.pricing.Pricing;
import io.kopek.testing.MerchantCodes;
import io.kopek.testing.TestClockConfiguration;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reconciliation of a provider's day against real card payments and refunds recorded through billing, with
 * registry lines as an import leaves them.
 */
@SpringBootTest(classes = ReconciliationTestApplication.class)
@Import(TestClockConfiguration.class)
class ReconciliationTest {

    @Autowired
    Reconciliation reconciliation;

    @Autowired
    Payments payments;

    @Autowired
    Invoicing invoicing;

    @Autowired
    Catalog catalog;

    @Autowired
    Pricing pricing;

    @Autowired
    Customers customers;

    @Autowired
    Ledger ledger;

    @Autowired
    BusinessCalendar calendar;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ReconciliationProperties properties;

    @Autowired
    DayPartitions partitions;

    String provider;
    long customer;
    long product;
    LocalDate today;
    Instant noon;

    @BeforeEach
    void aProviderOfItsOwn() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        provider = "pay" + run;
        String category = "cat-" + run;
        long merchant = catalog.createMerchant("R" + MerchantCodes.lettersOf(run), "Shop", "7700000009")
                .id();
        product = catalog.createProduct(
                        new NewProduct(merchant, "SKU-" + run, "Product", category, Money.rub(1_000_00), "piece"))
                .id();
        // 2.5 % expected commission.
        pricing.create(new NewBillingRule(
                category,
                "*",
                LocalDate.of(2020, 1, 1),
                null,
                0,
                250,
                0,
                "standard",
                false,
                null,
                List.of("card"),
                List.of(provider),
                0));
        customer = customers
                .create(new NewCustomer(CustomerType.INDIVIDUAL, "Buyer", "buyer@example.ru", null, null))
                .id();
        today = LocalDate.now(calendar.zone());
        noon = Instant.now();
    }

    // --- fixtures ---------------------------------------------------------------------------------------------

    Invoice invoice(int quantity) {
        return invoicing.place(new PlaceOrder(
                customer, null, null, List.of(new PlaceOrder.Item(product, BigDecimal.valueOf(quantity)))));
    }

    Payment paid(Invoice invoice, String providerPaymentId) {
        return payments.recordCardPayment(invoice.id(), invoice.total(), provider, providerPaymentId);
    }

    long file(LocalDate day) {
        partitions.ensure("registry_line", day); // as the import makes it before it writes the lines
        return jdbc.sql("insert into registry_file (provider, name, sha256, business_date, status)"
                        + " values (?, ?, ?, ?, 'imported') returning id")
                .params(provider, "registry-" + UUID.randomUUID() + ".csv", new byte[32], day)
                .query(Long.class)
                .single();
    }

    void line(
            long file,
            int no,
            String providerPaymentId,
            String orderNumber,
            String operation,
            long amount,
            long commission,
            Instant at) {
        jdbc.sql("insert into registry_line (business_date, file_id, line_no, provider_payment_id,"
                        + " order_number, operation, amount, commission, settled_amount, currency, operated_at)"
                        + " values ((select business_date from registry_file where id = ?), ?, ?, ?, ?, ?, ?, ?, ?,"
                        + " 'RUB', ?)")
                .params(
                        file,
                        file,
                        no,
                        providerPaymentId,
                        orderNumber,
                        operation,
                        amount,
                        commission,
                        operation.equals("payment") ? amount - commission : -amount - commission,
                        Timestamp.from(at))
                .update();
    }

    List<ResultLine> results(ReconciliationRun run) {
        return reconciliation.results(run.id(), null, 0, 1000);
    }

    static ResultLine only(List<ResultLine> results, String result) {
        var found =
                results.stream().filter(r -> r.result().code().equals(result)).toList();
        assertThat(found).as(result).hasSize(1);
        return found.getFirst();
    }

    long fees() {
        return ledger.balance("provider:" + provider + ":fees:RUB")
                .map(b -> b.posted().minor())
                .orElse(0L);
    }

    // --- behaviour --------------------------------------------------------------------------------------------

    @Test
    void aLineMatchesItsPaymentByTheProviderPaymentIdAndPostsTheCommissionOnce() {
        Invoice invoice = invoice(1); // 1 000.00, 2.5 % expected: 25.00
        Payment payment = paid(invoice, "tp-1");
        long file = file(today);
        line(file, 1, "tp-1", null, "payment", 1_000_00, 25_00, noon);

        ReconciliationRun first = reconciliation.run(provider, today);
        ReconciliationRun again = reconciliation.run(provider, today);

        var matched = only(results(first), "matched");
        assertThat(matched.matchKey()).isEqualTo("provider_payment_id");
        assertThat(matched.paymentId()).isEqualTo(payment.id());
        assertThat(matched.why()).isEqualTo("matched by provider_payment_id");
        assertThat(results(again)).hasSize(1);
        assertThat(only(results(again), "matched").paymentId()).isEqualTo(payment.id());
        assertThat(fees()).as("posted once, whatever the runs").isEqualTo(25_00);
        assertThat(ledger.balance("provider:" + provider + ":clearing:RUB")
                        .orElseThrow()
                        .posted()
                        .minor())
                .isEqualTo(975_00);
        assertThat(first.summary().settlement()).isNotNull();
    }

    @Test
    void aRunMakesItsDaysPartitionOfTheResultsAndWritesItsResultsThere() {
        LocalDate day = LocalDate.of(2025, 3, 14); // no run of any test before
        line(
                file(day),
                1,
                "tp-day",
                null,
                "payment",
                1_000_00,
                25_00,
                day.atTime(12, 0).atZone(calendar.zone()).toInstant());

        ReconciliationRun run = reconciliation.run(provider, day);

        assertThat(jdbc.sql(
                                "select distinct tableoid::regclass::text || ' ' || business_date from reconciliation_result"
                                        + " where run_id = ?")
                        .param(run.id())
                        .query(String.class)
                        .list())
                .containsExactly("reconciliation_result_20250314 2025-03-14");
        assertThat(only(results(run), "missing_in_ledger").providerPaymentId()).isEqualTo("tp-day");
    }

    @Test
    void aCommissionBeyondTheRulesExpectationIsAFeeMismatch() {
        Invoice invoice = invoice(2); // 2 000.00: 50.00 expected
        paid(invoice, "tp-2");
        line(file(today), 1, "tp-2", null, "payment", 2_000_00, 60_00, noon);

        var result = only(results(reconciliation.run(provider, today)), "fee_mismatch");

        assertThat(result.registryCommission()).isEqualTo(60_00L);
        assertThat(result.expectedCommission()).isEqualTo(50_00L);
        assertThat((String) result.why()).contains("commission 60.00 where the rule expects 50.00");
        assertThat(fees()).as("a mismatched commission waits for an accountant").isZero();
    }

    @Test
    void aDifferentAmountUnderTheSamePaymentIdIsAnAmountMismatch() {
        paid(invoice(1), "tp-3");
        line(file(today), 1, "tp-3", null, "payment", 999_00, 25_00, noon);

        var result = only(results(reconciliation.run(provider, today)), "amount_mismatch");

        assertThat((String) result.why()).contains("the registry says 999.00, the ledger 1000.00");
    }

    @Test
    void withoutAPaymentIdALineMatchesByInvoiceNumberAndAmountThenByAmountAndTime() {
        Invoice byNumber = invoice(1);
        paid(byNumber, "tp-4");
        Invoice byTime = invoice(3);
        paid(byTime, "tp-5");
        long file = file(today);
        line(file, 1, null, byNumber.number(), "payment", 1_000_00, 25_00, noon);
        line(file, 2, null, null, "payment", 3_000_00, 75_00, Instant.now().plusSeconds(60));

        var results = results(reconciliation.run(provider, today));

        assertThat(results).extracting(r -> r.result().code()).containsOnly("matched");
        assertThat(results)
                .extracting(r -> r.matchKey())
                .containsExactlyInAnyOrder("invoice_number_amount", "amount_time");
    }

    @Test
    void aLineRepeatedInTheRegistryIsADuplicate() {
        paid(invoice(1), "tp-6");
        long file = file(today);
        line(file, 1, "tp-6", null, "payment", 1_000_00, 25_00, noon);
        line(file, 2, "tp-6", null, "payment", 1_000_00, 25_00, noon);

        var results = results(reconciliation.run(provider, today));

        assertThat(only(results, "matched").lineNo()).isEqualTo(1);
        var duplicate = only(results, "duplicate_in_registry");
        assertThat(duplicate.lineNo()).isEqualTo(2);
        assertThat((String) duplicate.why()).contains("is line 1 of file");
    }

    @Test
    void aLineWithoutAPaymentIdDeliveredAgainInAnotherFileIsADuplicate() {
        Invoice invoice = invoice(1);
        paid(invoice, "tp-16");
        long first = file(today);
        long second = file(today);
        line(first, 1, null, invoice.number(), "payment", 1_000_00, 25_00, noon);
        line(second, 1, null, invoice.number(), "payment", 1_000_00, 25_00, noon);

        var results = results(reconciliation.run(provider, today));

        assertThat(only(results, "matched").fileId()).isEqualTo(first);
        var duplicate = only(results, "duplicate_in_registry");
        assertThat(duplicate.fileId()).isEqualTo(second);
        assertThat((String) duplicate.why()).contains("is line 1 of file " + first);
    }

    @Test
    void aRefundInTheRegistryForAPaymentTheLedgerHasOnlyAsPaidIsAStatusMismatch() {
        paid(invoice(1), "tp-7");
        long file = file(today);
        line(file, 1, "tp-7", null, "payment", 1_000_00, 25_00, noon);
        line(file, 2, "tp-7", null, "refund", 1_000_00, 0, noon);

        var results = results(reconciliation.run(provider, today));

        assertThat(only(results, "matched").lineNo()).isEqualTo(1);
        assertThat((String) only(results, "status_mismatch").why())
                .isEqualTo("a refund in the registry, but the ledger has only payment of payment tp-7 this day");
    }

    @Test
    void refundsMatchTheirLedgerRefunds() {
        Invoice invoice = invoice(1);
        Payment payment = paid(invoice, "tp-8");
        payments.recordCardRefund(invoice.id(), payment.id(), Money.rub(400_00), "returned");
        long file = file(today);
        line(file, 1, "tp-8", null, "payment", 1_000_00, 25_00, noon);
        line(file, 2, "tp-8", null, "refund", 400_00, 0, noon);

        var results = results(reconciliation.run(provider, today));

        assertThat(results).hasSize(2).extracting(r -> r.result().code()).containsOnly("matched");
        assertThat(results)
                .filteredOn(r -> r.operation().equals("refund"))
                .singleElement()
                .satisfies(r -> assertThat(r.refundId()).isNotNull());
    }

    @Test
    void whatOnlyOneSideHasIsMissingOnTheOther() {
        Payment unsettled = paid(invoice(1), "tp-9");
        line(file(today), 1, "tp-unknown", null, "payment", 5_000_00, 125_00, noon);

        var results = results(reconciliation.run(provider, today));

        assertThat(only(results, "missing_in_registry").paymentId()).isEqualTo(unsettled.id());
        assertThat(only(results, "missing_in_ledger").providerPaymentId()).isEqualTo("tp-unknown");
    }

    @Test
    void aPaymentSettledInTheNextDaysRegistryIsOtherDayOnBothDays() {
        Payment payment = paid(invoice(1), "tp-10");
        LocalDate tomorrow = today.plusDays(1);
        line(file(tomorrow), 1, "tp-10", null, "payment", 1_000_00, 25_00, noon);

        var todays = only(results(reconciliation.run(provider, today)), "other_day");
        var tomorrows = only(results(reconciliation.run(provider, tomorrow)), "other_day");

        assertThat(todays.paymentId()).isEqualTo(payment.id());
        assertThat((String) todays.why()).contains("registry of " + tomorrow + " has it");
        assertThat(tomorrows.lineNo()).isEqualTo(1);
        assertThat((String) tomorrows.why()).contains("the ledger has this payment on " + today);
    }

    @Test
    void aPaymentInAnEarlierDaysRegistryIsOtherDayWithinTheAdjacentDaysAndMissingBeyond() {
        Payment near = paid(invoice(1), "tp-14");
        Payment far = paid(invoice(2), "tp-15");
        LocalDate yesterday = today.minusDays(1);
        LocalDate beyond = today.minusDays(properties.adjacentDays() + 1L);
        line(file(yesterday), 1, "tp-14", null, "payment", 1_000_00, 25_00, noon);
        line(file(beyond), 1, "tp-15", null, "payment", 2_000_00, 50_00, noon);

        var todays = results(reconciliation.run(provider, today));

        var otherDay = only(todays, "other_day");
        assertThat(otherDay.paymentId()).isEqualTo(near.id());
        assertThat((String) otherDay.why()).contains("registry of " + yesterday + " has it");
        assertThat(only(todays, "missing_in_registry").paymentId()).isEqualTo(far.id());
    }

    @Test
    void discrepanciesStayOpenAcrossRunsAndClearWhenTheMissingLineArrives() {
        paid(invoice(1), "tp-11");

        reconciliation.run(provider, today);
        assertThat(openDiscrepancies()).isEqualTo(1);
        reconciliation.run(provider, today);
        assertThat(openDiscrepancies()).as("the same item, not a second one").isEqualTo(1);

        line(file(today), 1, "tp-11", null, "payment", 1_000_00, 25_00, noon);
        var run = reconciliation.run(provider, today);

        assertThat(openDiscrepancies()).isZero();
        assertThat(only(results(run), "matched")).isNotNull();
        assertThat(jdbc.sql("select status from discrepancy where provider = ?")
                        .param(provider)
                        .query(String.class)
                        .single())
                .isEqualTo("cleared");
    }

    @Test
    void theSummaryCountsAndSumsEachResultAndComparesTheSettlement() {
        paid(invoice(1), "tp-12");
        paid(invoice(2), "tp-13");
        long file = file(today);
        line(file, 1, "tp-12", null, "payment", 1_000_00, 25_00, noon);
        line(file, 2, "tp-x", null, "payment", 700_00, 10_00, noon.plus(Duration.ofHours(3)));

        ReconciliationRun run = reconciliation.run(provider, today);

        Summary summary = run.summary();
        assertThat(summary.of(ResultClass.MATCHED).count()).isEqualTo(1);
        assertThat(summary.of(ResultClass.MATCHED).amount()).isEqualTo(1_000_00);
        assertThat(summary.of(ResultClass.MISSING_IN_REGISTRY).count()).isEqualTo(1);
        assertThat(summary.of(ResultClass.MISSING_IN_LEDGER).amount()).isEqualTo(700_00);
        assertThat(summary.settlement().registrySettles()).isEqualTo(1_665_00);
        assertThat(summary.settlement().ledgerExpects()).isEqualTo(2_925_00);
        assertThat(run.registryLines()).isEqualTo(2);
        assertThat(run.ledgerOperations()).isEqualTo(2);
    }

    @Test
    void aCopyIsALineOfTheDayThatSettlesOnceAndARefundSettlesOut() {
        Invoice invoice = invoice(1);
        Payment payment = paid(invoice, "tp-20");
        payments.recordCardRefund(invoice.id(), payment.id(), Money.rub(400_00), "returned");
        paid(invoice(2), "tp-21");
        long file = file(today);
        line(file, 1, "tp-20", null, "payment", 1_000_00, 25_00, noon);
        line(file, 2, "tp-20", null, "payment", 1_000_00, 25_00, noon); // a copy
        line(file, 3, "tp-20", null, "refund", 400_00, 0, noon);
        line(file, 4, "tp-21", null, "payment", 2_000_00, 50_00, noon);
        line(file, 5, null, null, "payment", 300_00, 7_50, noon); // no payment id, nothing in the ledger
        line(file(today), 1, null, null, "payment", 300_00, 7_50, noon); // its copy, in another file

        for (int partitions : new int[] {1, 3}) {
            ReconciliationRun run = inPartitions(partitions);

            assertThat(run.registryLines()).as("every line, copies too").isEqualTo(6);
            assertThat(run.ledgerOperations()).isEqualTo(3);
            assertThat(run.summary().settlement())
                    .as("each line once, refunds out, in %d partitions", partitions)
                    .isEqualTo(new ReconciliationEvents.Settlement(
                            975_00 - 400_00 + 1_950_00 + 292_50, 975_00 - 400_00 + 1_950_00, 25_00 + 50_00 + 7_50));
            assertThat(run.summary().of(ResultClass.DUPLICATE_IN_REGISTRY).count())
                    .isEqualTo(2);
        }
    }

    // --- partitions -------------------------------------------------------------------------------------------

    /**
     * A day with a bit of everything: payments matched by payment id, with a fee or an amount off, refunds, copies,
     * lines without a payment id or with another payment id than the ledger's (paired by invoice number, or by
     * amount and time), a refund the ledger does not have, payments and lines missing on the other side.
     */
    void aBusyDay() {
        long file = file(today);
        long again = file(today);
        int no = 0;
        for (int i = 0; i < 40; i++) {
            Invoice invoice = invoice(1 + i % 3);
            long amount = invoice.total().minor();
            long fee = amount * 250 / 10_000;
            Payment payment = paid(invoice, "tb-" + i);
            Instant at = noon.plusSeconds(i * 7L);
            switch (i % 10) {
                case 0 -> line(file, ++no, "tb-" + i, null, "payment", amount, fee + 500, at); // fee off
                case 1 -> line(file, ++no, "tb-" + i, null, "payment", amount - 1, fee, at); // amount off
                case 2 -> { // a copy, in another file too
                    line(file, ++no, "tb-" + i, null, "payment", amount, fee, at);
                    line(again, no, "tb-" + i, null, "payment", amount, fee, at);
                }
                case 3 -> { // a partial refund
                    payments.recordCardRefund(invoice.id(), payment.id(), Money.rub(100_00), "returned");
                    line(file, ++no, "tb-" + i, null, "payment", amount, fee, at);
                    line(file, ++no, "tb-" + i, null, "refund", 100_00, 0, at);
                }
                case 4 -> line(file, ++no, null, invoice.number(), "payment", amount, fee, at); // by invoice number
                case 5 -> line(file, ++no, "other-" + i, invoice.number(), "payment", amount, fee, at); // across ids
                case 6 -> line(file, ++no, null, null, "payment", amount, fee, at.plusSeconds(30)); // amount, time
                case 7 -> { // the ledger has no refund
                    line(file, ++no, "tb-" + i, null, "payment", amount, fee, at);
                    line(file, ++no, "tb-" + i, null, "refund", amount, 0, at);
                }
                case 8 -> {} // missing in the registry
                default -> line(file, ++no, "tb-" + i, null, "payment", amount, fee, at);
            }
        }
        line(file, ++no, "nobody", null, "payment", 123_45, 3_00, noon); // missing in the ledger
        paid(invoice(1), "tb-late");
        line(file(today.plusDays(1)), 1, "tb-late", null, "payment", 1_000_00, 25_00, noon); // the other day
    }

    /** A run's results without its id, in the order they are read. */
    List<String> comparable(ReconciliationRun run) {
        return reconciliation.results(run.id(), null, 0, 10_000).stream()
                .map(r -> new ResultLine(
                                0,
                                r.result(),
                                r.fileId(),
                                r.lineNo(),
                                r.paymentId(),
                                r.refundId(),
                                r.operation(),
                                r.providerPaymentId(),
                                r.matchKey(),
                                r.registryAmount(),
                                r.ledgerAmount(),
                                r.registryCommission(),
                                r.expectedCommission(),
                                r.currency(),
                                r.why())
                        .toString())
                .sorted()
                .toList();
    }

    ReconciliationRun inPartitions(int partitions) {
        long run = reconciliation.open(provider, today, partitions);
        for (int partition = partitions - 1; partition >= 0; partition--) {
            assertThat(reconciliation.matchPartition(run, partition)).isTrue();
        }
        return reconciliation.close(run);
    }

    @Test
    void aDayGivesTheSameResultsWhateverTheNumberOfPartitions() {
        aBusyDay();

        ReconciliationRun one = inPartitions(1);
        ReconciliationRun three = inPartitions(3);
        ReconciliationRun seven = inPartitions(7);

        List<String> expected = comparable(one);
        // every line, and the ledger's payments that no line of the day has: four missing, one on the next day
        assertThat(expected).hasSize(one.registryLines() + 5);
        assertThat(one.summary().results().keySet())
                .as("the day has every kind of result")
                .allSatisfy(
                        result -> assertThat(one.summary().results().get(result).count())
                                .as(result)
                                .isPositive());
        assertThat(comparable(three)).isEqualTo(expected);
        assertThat(comparable(seven)).isEqualTo(expected);
        assertThat(three.summary()).isEqualTo(one.summary());
        assertThat(seven.summary()).isEqualTo(one.summary());
        assertThat(seven.registryLines()).isEqualTo(one.registryLines());
        assertThat(seven.ledgerOperations()).isEqualTo(one.ledgerOperations());
    }

    @Test
    void theSummaryIsWhatTheResultsSayThoughThePartitionsCountedTheirMatchesWithoutReadingThemBack() {
        aBusyDay();

        for (ReconciliationRun run : List.of(inPartitions(1), inPartitions(3), inPartitions(7))) {
            assertThat(run.summary().results())
                    .as("%d partitions", reconciliation.partitions(run.id()))
                    .isEqualTo(countedFromTheResults(run));
            assertThat(run.summary().of(ResultClass.MATCHED).count()).isPositive();
        }
        // the commission posted is the first run's matched lines' as its results have them, and only once
        long matchedCommission = jdbc.sql("select sum(registry_commission) from reconciliation_result"
                        + " where run_id = (select min(id) from reconciliation_run where provider = ?)"
                        + " and result = 'matched'")
                .param(provider)
                .query(Long.class)
                .single();
        assertThat(matchedCommission).isPositive();
        assertThat(fees()).isEqualTo(matchedCommission);
    }

    /** Per result, how many and how much, read row by row from what the run wrote. */
    Map<String, ReconciliationEvents.Totals> countedFromTheResults(ReconciliationRun run) {
        Map<String, ReconciliationEvents.Totals> counted = new LinkedHashMap<>();
        for (ResultClass result : ResultClass.values()) {
            counted.put(result.code(), new ReconciliationEvents.Totals(0, 0));
        }
        jdbc.sql("select result, count(*) as n, sum(coalesce(registry_amount, ledger_amount)) as amount"
                        + " from reconciliation_result where run_id = ? group by result")
                .param(run.id())
                .query(rs -> {
                    counted.put(
                            rs.getString("result"),
                            new ReconciliationEvents.Totals(rs.getLong("n"), rs.getLong("amount")));
                });
        return counted;
    }

    @Test
    void aRunAskedForNowMatchesItsConfiguredPartitionsOnThreadsAndGivesTheResultsOfOnePartition() {
        aBusyDay();

        ReconciliationRun one = inPartitions(1);
        ReconciliationRun now = reconciliation.run(provider, today);

        assertThat(reconciliation.partitions(now.id()))
                .isEqualTo(properties.partitions())
                .isGreaterThan(1);
        assertThat(properties.threads()).isGreaterThan(1);
        assertThat(now.status()).isEqualTo("done");
        assertThat(comparable(now)).isEqualTo(comparable(one));
        assertThat(now.summary()).isEqualTo(one.summary());
    }

    @Test
    void aDayWhosePaymentIdsOfSeveralLinesTheImportListedGivesTheResultsOfADaySearchedWhole() {
        long file = file(today);
        int no = 0;
        for (int i = 0; i < 12; i++) {
            Invoice invoice = invoice(1);
            long amount = invoice.total().minor();
            Payment payment = paid(invoice, "tl-" + i);
            Instant at = noon.plusSeconds(i * 7L);
            line(file, ++no, "tl-" + i, null, "payment", amount, amount * 250 / 10_000, at);
            switch (i % 4) {
                case 0 -> line(file, ++no, "tl-" + i, null, "payment", amount, amount * 250 / 10_000, at); // a copy
                case 1 -> { // a refund
                    payments.recordCardRefund(invoice.id(), payment.id(), Money.rub(100_00), "returned");
                    line(file, ++no, "tl-" + i, null, "refund", 100_00, 0, at);
                }
                case 2 -> line(file, ++no, null, invoice.number(), "payment", amount, 0, at); // without a payment id
                default -> {}
            }
        }
        List<String> searched = comparable(inPartitions(1));

        // as the import lists them (ingest/V10.8): the payment ids of more than one line of the file
        jdbc.sql("insert into registry_repeated_payment_id (file_id, provider_payment_id)"
                        + " select file_id, provider_payment_id from registry_line where business_date = ? and file_id = ?"
                        + " and provider_payment_id is not null group by 1, 2 having count(*) > 1")
                .params(today, file)
                .update();
        jdbc.sql("update registry_file set repeats_listed = true where id = ?")
                .param(file)
                .update();

        assertThat(searched)
                .filteredOn(r -> r.contains("DUPLICATE_IN_REGISTRY"))
                .hasSize(3);
        assertThat(comparable(inPartitions(1))).isEqualTo(searched);
        assertThat(comparable(inPartitions(3))).isEqualTo(searched);
    }

    @Test
    void partitionsRunAtOnceInThreadsEachOnceAndTheRunClosesOnlyWhenAllAreDone() throws Exception {
        aBusyDay();
        ReconciliationRun single = reconciliation.run(provider, today);
        long run = reconciliation.open(provider, today, 5);

        assertThat(reconciliation.partitions(run)).isEqualTo(5);
        assertThat(reconciliation.matchPartition(run, 2)).isTrue();
        assertThat(reconciliation.matchPartition(run, 2)).as("done before").isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> reconciliation.close(run))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 of 5 partitions done");
        List<java.util.concurrent.Future<Boolean>> done = new java.util.ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            for (int partition : List.of(0, 1, 3, 4, 4, 0)) { // two of them twice, at once
                done.add(threads.submit(() -> reconciliation.matchPartition(run, partition)));
            }
        }
        int did = 0;
        for (var d : done) {
            did += d.get() ? 1 : 0;
        }
        ReconciliationRun closed = reconciliation.close(run);

        assertThat(did).as("each partition done once").isEqualTo(4);
        assertThat(comparable(closed)).isEqualTo(comparable(single));
        assertThat(reconciliation.close(run)).as("a closed run answers itself").isEqualTo(closed);
        assertThat(jdbc.sql("select count(*) from reconciliation_unpaired_line where run_id = ?")
                        .param(run)
                        .query(Long.class)
                        .single())
                .as("what waited for the close is gone")
                .isZero();
    }

    // --- many discrepancies resolved at once ---------------------------------------------------------------

    @Autowired
    Discrepancies discrepancies;

    /** Three open discrepancies of today: two payments missing in the registry, one line missing in the ledger. */
    List<Discrepancy> threeOpen() {
        paid(invoice(1), "tp-20");
        paid(invoice(2), "tp-21");
        line(file(today), 1, "tp-unknown", null, "payment", 5_000_00, 125_00, noon);
        reconciliation.run(provider, today);
        return discrepancies.list(provider, today, "open", 0, 100);
    }

    List<String> resolvedEvents() {
        return jdbc.sql("select payload->>'discrepancyId' || ':' || (payload->>'resolvedBy') from outbox_event"
                        + " where type = 'discrepancy.resolved' and payload->>'provider' = ? order by id")
                .param(provider)
                .query(String.class)
                .list();
    }

    @Test
    void manyDiscrepanciesResolvedByIdsAreEachRecordedAsASingleResolutionIs() {
        List<Discrepancy> open = threeOpen();
        assertThat(open).hasSize(3);
        List<Long> two = List.of(open.get(0).id(), open.get(2).id());

        int resolved = discrepancies.resolveAll(
                new DiscrepancySelection.Ids(two), "user:anna", "settled with the provider by phone");

        assertThat(resolved).isEqualTo(2);
        for (long id : two) {
            Discrepancy d = discrepancies.get(id);
            assertThat(d.status()).isEqualTo("resolved");
            assertThat(d.resolution()).isEqualTo("settled with the provider by phone");
            assertThat(d.resolvedBy()).isEqualTo("user:anna");
            assertThat(d.resolvedAt()).isNotNull();
        }
        assertThat(discrepancies.get(open.get(1).id()).status()).isEqualTo("open");
        assertThat(resolvedEvents()).containsExactly(two.get(0) + ":user:anna", two.get(1) + ":user:anna");
    }

    @Test
    void aFilterResolvesTheOpenDiscrepanciesOfItsProviderDayAndResultClassOnly() {
        List<Discrepancy> open = threeOpen();
        long missingInLedger = open.stream()
                .filter(d -> d.result().equals("missing_in_ledger"))
                .findFirst()
                .orElseThrow()
                .id();

        int resolved = discrepancies.resolveAll(
                new DiscrepancySelection.Filter(provider, today, ResultClass.MISSING_IN_REGISTRY),
                "user:anna",
                "refunded by the bank");
        int again = discrepancies.resolveAll(
                new DiscrepancySelection.Filter(provider, today, ResultClass.MISSING_IN_REGISTRY),
                "user:anna",
                "twice");

        assertThat(resolved).isEqualTo(2);
        assertThat(again).as("resolved ones are not open any more").isZero();
        assertThat(discrepancies.get(missingInLedger).status()).isEqualTo("open");
        assertThat(discrepancies.list(provider, today, "resolved", 0, 100))
                .extracting(Discrepancy::resolution)
                .containsOnly("refunded by the bank");
        assertThat(resolvedEvents()).hasSize(2);
    }

    @Test
    void idsWithOneNotOpenResolveNothing() {
        List<Discrepancy> open = threeOpen();
        discrepancies.resolve(open.get(1).id(), "user:boris", "done before");

        var refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                io.kopek.errors.KopekException.class,
                () -> discrepancies.resolveAll(
                        new DiscrepancySelection.Ids(
                                open.stream().map(Discrepancy::id).toList()),
                        "user:anna",
                        "all"));

        assertThat(refused.type()).isEqualTo("discrepancy-not-open");
        assertThat(refused.getMessage()).contains(open.get(1).id() + " is resolved");
        assertThat(discrepancies.list(provider, today, "open", 0, 100)).hasSize(2);
        assertThat(resolvedEvents()).hasSize(1);
    }

    @Test
    void moreThanTheBoundIsRefusedNamingTheCountAndResolvesNothing() {
        long run = reconciliation.run(provider, today).id();
        int many = Discrepancies.MAX_RESOLVED_AT_ONCE + 1;
        jdbc.sql("insert into discrepancy (provider, business_date, item_key, result, why, amount, currency, status,"
                        + " first_run_id, last_run_id) select ?, ?, 'line:x:' || n, 'missing_in_ledger', 'test', 100,"
                        + " 'RUB', 'open', ?, ? from generate_series(1, ?) n")
                .params(provider, today, run, run, many)
                .update();

        var refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                io.kopek.errors.KopekException.class,
                () -> discrepancies.resolveAll(
                        new DiscrepancySelection.Filter(provider, null, null), "user:anna", "all of them"));

        assertThat(refused.type()).isEqualTo("too-many-discrepancies");
        assertThat(refused.getMessage()).startsWith(many + " discrepancies");
        assertThat(openDiscrepancies()).isEqualTo(many);
        // one fewer is within the bound: all resolved in one transaction, each with its event
        jdbc.sql("update discrepancy set status = 'cleared' where provider = ? and item_key = 'line:x:1'")
                .param(provider)
                .update();
        assertThat(discrepancies.resolveAll(
                        new DiscrepancySelection.Filter(provider, null, null), "user:anna", "all of them"))
                .isEqualTo(Discrepancies.MAX_RESOLVED_AT_ONCE);
        assertThat(openDiscrepancies()).isZero();
        assertThat(resolvedEvents()).hasSize(Discrepancies.MAX_RESOLVED_AT_ONCE);
        assertThat(discrepancies.resolveAll(
                        new DiscrepancySelection.Filter(provider, today, ResultClass.MISSING_IN_REGISTRY),
                        "user:anna",
                        "none of these"))
                .isZero();
    }

    @Test
    void theDashboardCountsKeptDiscrepanciesPerDayAndClassAndHowManyAreOpen() {
        Payment resolvedLater = paid(invoice(1), "tp-20");
        paid(invoice(2), "tp-21");
        long file = file(today);
        line(file, 1, "tp-unknown", null, "payment", 5_000_00, 125_00, noon);
        reconciliation.run(provider, today);
        long resolvedOne = discrepancies.list(provider, today, "open", 0, 100).stream()
                .filter(d -> d.itemKey().equals("payment:" + resolvedLater.id()))
                .findFirst()
                .orElseThrow()
                .id();
        discrepancies.resolve(resolvedOne, "user:anna", "fine");
        // tp-21 arrives in a second file: its discrepancy is cleared, no longer a discrepancy
        line(file(today), 1, "tp-21", null, "payment", 2_000_00, 50_00, noon);
        reconciliation.run(provider, today);

        var counts = discrepancies.perDay(provider, today.minusDays(1), today);

        assertThat(counts)
                .containsExactly(
                        new Discrepancies.DayCount(today, ResultClass.MISSING_IN_LEDGER, 1, 1),
                        new Discrepancies.DayCount(today, ResultClass.MISSING_IN_REGISTRY, 1, 0));
        assertThat(discrepancies.perDay(provider, today.plusDays(1), today.plusDays(2)))
                .isEmpty();
    }

    long openDiscrepancies() {
        return jdbc.sql("select count(*) from discrepancy where provider = ? and status = 'open'")
                .param(provider)
                .query(Long.class)
                .single();
    }
}

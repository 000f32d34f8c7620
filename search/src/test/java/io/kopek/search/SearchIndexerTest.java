package io.kopek.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.SearchTestApplication;
import io.kopek.billing.Invoice;
import io.kopek.billing.Invoicing;
import io.kopek.billing.Payment;
import io.kopek.billing.Payments;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.catalog.Catalog;
import io.kopek.customer.Customers;
import io.kopek.pricing.Pricing;
import io.kopek.reconciliation.Reconciliation;
import io.kopek.reconciliation.ReconciliationRun;
import io.kopek.sandbox.search.SearchEngine;
import io.kopek.testing.TestClockConfiguration;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The indexer against a real Elasticsearch ({@link SearchEngine#shared()}) and real PostgreSQL; passes run by the test
 * (this process has the api role only, so no loop runs them behind its back).
 */
@SpringBootTest(
        classes = SearchTestApplication.class,
        properties = {"kopek.search.enabled=true", "kopek.roles=api", "kopek.search.settle=0s"})
@Import(TestClockConfiguration.class)
class SearchIndexerTest {

    @DynamicPropertySource
    static void engine(DynamicPropertyRegistry registry) {
        registry.add("kopek.search.uris", () -> SearchEngine.shared().uri().toString());
    }

    @Autowired
    SearchIndexer indexer;

    @Autowired
    SearchIndex index;

    @Autowired
    Reindex reindex;

    @Autowired
    Documents documents;

    @Autowired
    Reconciliation reconciliation;

    @Autowired
    BusinessCalendar calendar;

    @Autowired
    JdbcClient jdbc;

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

    Fixtures fixtures;
    URI engine;

    @BeforeEach
    void aProviderOfItsOwnAndTheIndicesReady() {
        fixtures = new Fixtures(catalog, pricing, customers, invoicing, payments);
        engine = SearchEngine.shared().uri();
        index.prepare();
    }

    /** Passes until the consumer is at the end of the outbox, then a refresh so that what was written is seen. */
    void drain() {
        while (indexer.pass().events() > 0) {
            // again
        }
        for (Kind kind : Kind.values()) {
            index.refresh(kind.alias());
        }
    }

    Map<String, Object> indexed(Kind kind, long id) {
        return Fixtures.get(engine, kind.alias(), id)
                .orElseThrow(() -> new AssertionError(kind.alias() + "/" + id + " is not indexed"));
    }

    @Test
    void aCardPaymentIndexesThePaymentAndItsPaidInvoice() {
        Invoice invoice = fixtures.invoice(2);
        Payment payment = fixtures.paidByCard(invoice);

        drain();

        Map<String, Object> paid = Fixtures.source(indexed(Kind.PAYMENTS, payment.id()));
        assertThat(paid)
                .containsEntry("invoice_id", (int) invoice.id())
                .containsEntry("invoice_number", invoice.number())
                .containsEntry("method", "card")
                .containsEntry("provider", fixtures.provider)
                .containsEntry("amount", 2_000_00)
                .containsEntry("currency", "RUB")
                .containsEntry("business_date", LocalDate.now(calendar.zone()).toString());
        Map<String, Object> invoiced = Fixtures.source(indexed(Kind.INVOICES, invoice.id()));
        assertThat(invoiced)
                .containsEntry("status", "paid")
                .containsEntry("total", 2_000_00)
                .containsEntry("paid", 2_000_00)
                .containsEntry("outstanding", 0);
    }

    @Test
    void aReconciliationIndexesItsRunAndEveryDiscrepancyOfItsDay() {
        Payment first = fixtures.paidByCard(fixtures.invoice(1));
        Payment second = fixtures.paidByCard(fixtures.invoice(3));
        LocalDate today = LocalDate.now(calendar.zone());

        ReconciliationRun run = reconciliation.run(fixtures.provider, today);
        drain();

        Map<String, Object> indexedRun = Fixtures.source(indexed(Kind.RECONCILIATION_RUNS, run.id()));
        assertThat(indexedRun)
                .containsEntry("provider", fixtures.provider)
                .containsEntry("business_date", today.toString())
                .containsEntry("matched", 0)
                .containsEntry("discrepancies", 2)
                .containsEntry(
                        "ledger_expects",
                        run.summary().settlement().ledgerExpects() > Integer.MAX_VALUE
                                ? run.summary().settlement().ledgerExpects()
                                : (Object) (int) run.summary().settlement().ledgerExpects());
        List<Long> ids = jdbc.sql("select discrepancy_id from reconciliation_discrepancy where provider = ?")
                .param(fixtures.provider)
                .query(Long.class)
                .list();
        assertThat(ids).hasSize(2);
        assertThat(ids)
                .map(id -> Fixtures.source(indexed(Kind.DISCREPANCIES, id)))
                .allSatisfy(d -> assertThat(d)
                        .containsEntry("provider", fixtures.provider)
                        .containsEntry("result", "missing_in_registry")
                        .containsEntry("resolved", false)
                        .containsEntry("run_id", (int) run.id()))
                .extracting(d -> d.get("amount"))
                .containsExactlyInAnyOrder(
                        (int) first.amount().minor(), (int) second.amount().minor());
    }

    @Test
    void aReplayedEventAndAnOutOfOrderWriteLeaveTheNewestState() {
        Invoice invoice = fixtures.invoice(1); // invoice.issued
        fixtures.paidByCard(invoice); // payment.succeeded, invoice.paid
        drain();
        Map<String, Object> newest = indexed(Kind.INVOICES, invoice.id());
        long newestVersion = ((Number) newest.get("_version")).longValue();
        long issuedEvent = jdbc.sql("select min(id) from outbox_event where type = 'invoice.issued'"
                        + " and (payload->>'invoiceId')::bigint = ?")
                .param(invoice.id())
                .query(Long.class)
                .single();

        // replay: the consumer's position back before the invoice, and every event of it consumed again
        jdbc.sql("update outbox_consumer set last_event_id = ? where consumer = ?")
                .params(issuedEvent - 1, SearchIndexer.CONSUMER)
                .update();
        drain();
        // out of order: the issued state written late, at its own event's version
        Map<String, Object> issued = new java.util.LinkedHashMap<>(Fixtures.source(newest));
        issued.put("status", "issued");
        issued.put("paid", 0);
        Bulk late = index.bulk(null, 10, n -> {});
        late.add(new Document(Kind.INVOICES, Long.toString(invoice.id()), issued), issuedEvent);
        late.flush();
        index.refresh(Kind.INVOICES.alias());

        Map<String, Object> after = indexed(Kind.INVOICES, invoice.id());
        assertThat(late.sent()).as("the engine wrote nothing older").isZero();
        assertThat(((Number) after.get("_version")).longValue()).isEqualTo(newestVersion);
        assertThat(Fixtures.source(after)).containsEntry("status", "paid").containsEntry("outstanding", 0);
        assertThat(issuedEvent).isLessThan(newestVersion);
    }

    @Test
    void aReindexSwapsTheAliasAndLosesNothingWrittenDuringTheRebuild() {
        Payment before = fixtures.paidByCard(fixtures.invoice(1));
        drain();
        String old = index.writeIndex(Kind.PAYMENTS).orElseThrow();
        Reindex.Run asked = reindex.request(List.of(Kind.PAYMENTS), "user:ops", "mapping changed")
                .getFirst();
        Payment[] during = new Payment[1];

        boolean ran = reindex.runNext(() -> {
            // a payment after the rebuild read the table, consumed meanwhile into the old generation
            during[0] = fixtures.paidByCard(fixtures.invoice(2));
            drain();
        });
        Payment after = fixtures.paidByCard(fixtures.invoice(3));
        drain();

        assertThat(ran).isTrue();
        Reindex.Run done = reindex.get(asked.id());
        assertThat(done.status()).isEqualTo("done");
        assertThat(done.requestedBy()).isEqualTo("user:ops");
        assertThat(done.reason()).isEqualTo("mapping changed");
        String current = index.writeIndex(Kind.PAYMENTS).orElseThrow();
        assertThat(current).isEqualTo(done.newIndex()).isNotEqualTo(old);
        assertThat(index.indicesOf(Kind.PAYMENTS)).containsExactly(current);
        assertThat(index.exists(old)).as("the old generation deleted").isFalse();
        for (Payment payment : List.of(before, during[0], after)) {
            assertThat(Fixtures.source(indexed(Kind.PAYMENTS, payment.id())))
                    .containsEntry("amount", (int) payment.amount().minor());
        }
        long inPostgres = jdbc.sql("select count(*) from billing_payment")
                .query(Long.class)
                .single();
        assertThat(index.count(Kind.PAYMENTS.alias())).isEqualTo(inPostgres);
    }

    @Test
    void aKindStreamsWholeFromPostgresInIdOrder() {
        Payment one = fixtures.paidByCard(fixtures.invoice(1));
        Payment two = fixtures.paidByCard(fixtures.invoice(1));
        List<String> ids = new java.util.ArrayList<>();

        documents.all(Kind.PAYMENTS, d -> ids.add(d.id()));

        assertThat(ids).contains(Long.toString(one.id()), Long.toString(two.id()));
        assertThat(ids).isSortedAccordingTo(java.util.Comparator.comparingLong(Long::parseLong));
    }
}

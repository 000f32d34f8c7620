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
import io.kopek.outbox.OutboxEvent;
import io.kopek.pricing.Pricing;
import io.kopek.reconciliation.Reconciliation;
import io.kopek.reconciliation.ReconciliationRun;
import io.kopek.sandbox.search.SearchEngine;
import io.kopek.testing.TestClockConfiguration;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

    @Test
    void aPassWritesEachObjectOnceAtTheNewestVersionOfTheEventsThatChangedIt() {
        Invoice invoice = fixtures.invoice(2); // invoice.issued
        Payment payment = fixtures.paidByCard(invoice); // payment.succeeded, invoice.paid
        LocalDate today = LocalDate.now(calendar.zone());
        ReconciliationRun run = reconciliation.run(fixtures.provider, today); // the payment a discrepancy
        long discrepancy = jdbc.sql("select discrepancy_id from reconciliation_discrepancy where provider = ?")
                .param(fixtures.provider)
                .query(Long.class)
                .single();
        // the same objects changed by several events of one pass, a discrepancy both by its day and by itself
        List<OutboxEvent> events = List.of(
                event(101, "invoice.issued", Map.of("invoiceId", invoice.id())),
                event(102, "payment.succeeded", Map.of("paymentId", payment.id(), "invoiceId", invoice.id())),
                event(
                        103,
                        "reconciliation.completed",
                        Map.of("runId", run.id(), "provider", fixtures.provider, "businessDate", today.toString())),
                event(104, "discrepancy.resolved", Map.of("discrepancyId", discrepancy)),
                event(105, "invoice.paid", Map.of("invoiceId", invoice.id())),
                event(106, "invoice.paid", Map.of("invoiceId", Long.MAX_VALUE)));
        List<String> written = new java.util.ArrayList<>();

        documents.forEvents(
                events,
                Documents.ALL,
                (document, version) -> written.add(document.kind().code() + "/" + document.id() + "@" + version));

        assertThat(written)
                .containsExactlyInAnyOrder(
                        "invoices/" + invoice.id() + "@105",
                        "payments/" + payment.id() + "@102",
                        "reconciliation-runs/" + run.id() + "@103",
                        "discrepancies/" + discrepancy + "@104");
        List<String> oneByOne = new java.util.ArrayList<>();
        for (OutboxEvent event : events) {
            documents.forEvent(event, Documents.ALL, d -> oneByOne.add(d.kind().code() + "/" + d.id()));
        }
        assertThat(oneByOne)
                .as("one by one, the invoice is written three times")
                .hasSize(7);
        assertThat(new java.util.HashSet<>(oneByOne))
                .as("the same objects as the events one by one")
                .isEqualTo(new java.util.HashSet<>(written.stream()
                        .map(w -> w.substring(0, w.indexOf('@')))
                        .toList()));
    }

    @Test
    void invoicesReadByIdAndByPageAreTheSameDocuments() {
        Invoice paid = fixtures.invoice(2);
        fixtures.paidByCard(paid);
        Invoice open = fixtures.invoice(1);
        List<Document> byId = new java.util.ArrayList<>();

        documents.of(Kind.INVOICES, List.of(paid.id(), open.id(), Long.MAX_VALUE), byId::add);

        List<Document> paged = documents.page(Kind.INVOICES, paid.id() - 1, 1000).stream()
                .filter(d -> d.id().equals(Long.toString(paid.id())) || d.id().equals(Long.toString(open.id())))
                .toList();
        assertThat(byId).containsExactlyInAnyOrderElementsOf(paged).hasSize(2);
        assertThat(byId)
                .filteredOn(d -> d.id().equals(Long.toString(paid.id())))
                .singleElement()
                .satisfies(d -> assertThat(d.source())
                        .containsEntry("paid", 2_000_00L)
                        .containsEntry("outstanding", 0L)
                        .containsKey("vat"));
        assertThat(byId)
                .filteredOn(d -> d.id().equals(Long.toString(open.id())))
                .singleElement()
                .satisfies(
                        d -> assertThat(d.source()).containsEntry("paid", 0L).containsEntry("outstanding", 1_000_00L));
    }

    static OutboxEvent event(long id, String type, Map<String, Object> payload) {
        return new OutboxEvent(id, UUID.randomUUID(), type, 1, "test", Long.toString(id), payload, Instant.now());
    }
}

package io.kopek.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kopek.SearchTestApplication;
import io.kopek.batch.JobRun;
import io.kopek.batch.Jobs;
import io.kopek.billing.Invoicing;
import io.kopek.billing.Payment;
import io.kopek.billing.Payments;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.catalog.Catalog;
import io.kopek.customer.Customers;
import io.kopek.outbox.Outbox;
import io.kopek.outbox.OutboxEvent;
import io.kopek.pricing.Pricing;
import io.kopek.sandbox.search.SearchEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code searchDriftCheck} job in a batch process (its indexer and reindex loops running) against a real
 * Elasticsearch and PostgreSQL: an index rebuilt from PostgreSQL agrees with it; a document deleted in the engine behind
 * the indexer's back is a difference, in the run's exit, the stored result the API answers with, and the alert.
 */
@SpringBootTest(
        classes = SearchTestApplication.class,
        properties = {
            "kopek.search.enabled=true",
            "kopek.roles=api,batch",
            "kopek.search.settle=0s",
            "kopek.search.idle=100ms",
            "kopek.search.drift.margin=0s"
        })
class DriftCheckTest {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

    @DynamicPropertySource
    static void engine(DynamicPropertyRegistry registry) {
        registry.add("kopek.search.uris", () -> SearchEngine.shared().uri().toString());
    }

    @Autowired
    Jobs jobs;

    @Autowired
    SearchIndex index;

    @Autowired
    SearchIndexer indexer;

    @Autowired
    Reindex reindex;

    @Autowired
    SearchApi api;

    @Autowired
    Outbox outbox;

    @Autowired
    BusinessCalendar calendar;

    @Autowired
    TransactionTemplate transactions;

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

    @BeforeEach
    void aProviderOfItsOwn() {
        fixtures = new Fixtures(catalog, pricing, customers, invoicing, payments);
    }

    /**
     * Every kind rebuilt from PostgreSQL (whatever other tests of this JVM did to the shared engine) by the batch
     * process's reindex loop, then the consumer at the end of the outbox and the aliases refreshed.
     */
    void rebuiltAndCaughtUp() {
        List<Reindex.Run> runs = transactions.execute(s -> reindex.request(List.of(), "test", "drift check test"));
        await().atMost(Duration.ofMinutes(2))
                .until(() -> runs.stream()
                        .allMatch(r -> "done".equals(reindex.get(r.id()).status())));
        await().atMost(Duration.ofMinutes(1)).until(() -> indexer.position().behind() == 0);
        for (Kind kind : Kind.values()) {
            index.refresh(kind.alias());
        }
    }

    @Test
    void anIndexRebuiltFromPostgresqlShowsNoDifference() {
        fixtures.paidByCard(fixtures.invoice(2));
        rebuiltAndCaughtUp();

        JobRun run = jobs.run(SearchDriftJob.NAME, Map.of(), RUN_TIMEOUT);

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(run.exitCode()).isEqualTo("COMPLETED");
        SearchApi.Drift answer = api.drift();
        assertThat(answer.checkedAt()).isNotNull();
        assertThat(answer.to()).isEqualTo(calendar.today());
        assertThat(answer.from()).isEqualTo(calendar.today().minusDays(6));
        assertThat(answer.differences()).isEmpty();
    }

    @Test
    void aPaymentDeletedInTheEngineIsADifferenceOfItsDayInTheRunTheApiAndTheAlert() throws Exception {
        Payment kept = fixtures.paidByCard(fixtures.invoice(1));
        Payment deleted = fixtures.paidByCard(fixtures.invoice(3));
        rebuiltAndCaughtUp();
        long before = indexer.position().latestEventId();
        assertThat(Fixtures.get(SearchEngine.shared().uri(), Kind.PAYMENTS.alias(), kept.id()))
                .isPresent();

        deleteBehindTheIndexersBack(Kind.PAYMENTS.alias(), deleted.id());
        JobRun run = jobs.run(SearchDriftJob.NAME, Map.of(), RUN_TIMEOUT);

        LocalDate today = LocalDate.now(calendar.zone());
        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(run.exitCode()).isEqualTo("DRIFT");
        assertThat(run.exitDescription()).contains("1 differences").contains("payments " + today);
        List<DriftFound.Difference> differences = api.drift().differences();
        assertThat(differences).hasSize(1);
        DriftFound.Difference difference = differences.getFirst();
        assertThat(difference.index()).isEqualTo("payments");
        assertThat(difference.day()).isEqualTo(today);
        assertThat(difference.esCount()).isEqualTo(difference.dbCount() - 1);
        assertThat(difference.esSum())
                .isEqualTo(difference.dbSum() - deleted.amount().minor());
        List<OutboxEvent> alerts = outbox.after(before, 1000).stream()
                .filter(e -> e.type().equals("search.drift_found"))
                .toList();
        assertThat(alerts).hasSize(1);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> listed =
                (List<Map<String, Object>>) alerts.getFirst().payload().get("differences");
        assertThat(listed)
                .singleElement()
                .satisfies(
                        d -> assertThat(d).containsEntry("index", "payments").containsEntry("day", today.toString()));
    }

    private static void deleteBehindTheIndexersBack(String alias, long id) throws Exception {
        URI engine = SearchEngine.shared().uri();
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(engine.resolve("/" + alias + "/_doc/" + id + "?refresh=true"))
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }
}

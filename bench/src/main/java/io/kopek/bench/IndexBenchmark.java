package io.kopek.bench;

import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.NewCustomer;
import io.kopek.sandbox.search.SearchEngine;
import io.kopek.search.Bulk;
import io.kopek.search.Document;
import io.kopek.search.Documents;
import io.kopek.search.Kind;
import io.kopek.search.SearchIndex;
import io.kopek.search.SearchIndexer;
import io.kopek.testing.ScratchDatabase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Payment documents indexed from the outbox by the real consumer ({@link SearchIndexer}'s passes, as the batch
 * process's loop runs them) into a real Elasticsearch node started here; against the floor measured in the same run:
 * the same documents read page by page ({@link Documents#all}, as a reindex reads them) and bulk loaded with the same
 * client, the same bulk size and the same external versions into a fresh index of the same template. The volume is
 * made as the other benchmarks make theirs: top-up payments with {@code COPY}, and one {@code payment.succeeded}
 * event each in the outbox, set-based.
 */
class IndexBenchmark implements Benchmark {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @ComponentScan(
            basePackages = {
                "io.kopek.ledger",
                "io.kopek.customer",
                "io.kopek.catalog",
                "io.kopek.pricing",
                "io.kopek.billing",
                "io.kopek.outbox",
                "io.kopek.calendar",
                "io.kopek.partition",
                "io.kopek.ingest",
                "io.kopek.reconciliation",
                "io.kopek.search"
            })
    static class Indexer {}

    @Override
    public String description() {
        return "payment documents indexed from the outbox by the search indexer vs a bare bulk load of the same"
                + " documents (--docs=1000000 --bulk-size=1000)";
    }

    @Override
    public Result run(Options options) throws Exception {
        int docs = options.intValue("docs", 1_000_000);
        int bulkSize = options.intValue("bulk-size", 1000);
        double seconds;
        double floorSeconds;
        try (SearchEngine engine = SearchEngine.start(SearchEngine.distribution(), "1g");
                ScratchDatabase db = ScratchDatabase.create("kopek_bench")) {
            Map<String, Object> properties = new HashMap<>();
            properties.put("spring.main.banner-mode", "off");
            properties.put("logging.level.root", "warn");
            properties.put("kopek.business-zone", ExcelBenchmark.ZONE.getId());
            properties.put("spring.datasource.url", db.url());
            properties.put("kopek.roles", "api");
            properties.put("kopek.search.enabled", "true");
            properties.put("kopek.search.uris", engine.uri().toString());
            properties.put("kopek.search.settle", "0s");
            properties.put("kopek.search.bulk-size", Integer.toString(bulkSize));
            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Indexer.class)
                    .web(WebApplicationType.NONE)
                    .logStartupInfo(false)
                    .properties(properties)
                    // On the command line: above a test JVM's own spring.datasource.url (a system property), so that a
                    // benchmark run by BenchmarksTest measures its own database, not the test's.
                    .run("--spring.datasource.url=" + db.url())) {
                JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                long customer = context.getBean(Customers.class)
                        .create(new NewCustomer(
                                CustomerType.COMPANY, "Bench buyer", "bench@example.ru", null, "7700000001"))
                        .id();
                long started = System.nanoTime();
                ExcelBenchmark.loadPayments(context.getBean(DataSource.class), customer, docs);
                jdbc.update("insert into outbox_event (event_id, type, version, aggregate_type, aggregate_id,"
                        + " payload, occurred_at) select gen_random_uuid(), 'payment.succeeded', 1, 'payment',"
                        + " payment_id::text, jsonb_build_object('paymentId', payment_id, 'customerId', customer_id,"
                        + " 'amount', amount, 'currency', currency), now() - interval '1 minute'"
                        + " from billing_payment order by payment_id");
                jdbc.execute("analyze");
                System.out.printf(
                        "index: %d payments and their events loaded in %.1f s%n",
                        docs, (System.nanoTime() - started) / 1e9);

                SearchIndex index = context.getBean(SearchIndex.class);
                SearchIndexer indexer = context.getBean(SearchIndexer.class);
                Documents documents = context.getBean(Documents.class);
                index.prepare();
                warmUp(index, documents, Math.min(docs, 20_000), bulkSize);

                long start = System.nanoTime();
                while (indexer.pass().events() > 0) {
                    // the loop's passes, back to back while there is work
                }
                seconds = (System.nanoTime() - start) / 1e9;
                index.refresh(Kind.PAYMENTS.alias());
                long indexed = index.count(Kind.PAYMENTS.alias());
                if (indexed != docs) {
                    throw new IllegalStateException("the indexer left " + indexed + " documents of " + docs);
                }
                System.out.printf("index: the consumer indexed %d documents in %.3f s%n", indexed, seconds);

                String fresh = index.newGeneration(Kind.PAYMENTS);
                index.create(fresh);
                start = System.nanoTime();
                Bulk bulk = index.bulk(fresh, bulkSize, n -> {});
                documents.all(Kind.PAYMENTS, d -> bulk.add(d, 1));
                bulk.flush();
                floorSeconds = (System.nanoTime() - start) / 1e9;
                index.refresh(fresh);
                if (index.count(fresh) != docs) {
                    throw new IllegalStateException("the floor wrote " + index.count(fresh) + " of " + docs);
                }
                System.out.printf("index: the bare bulk load took %.3f s%n", floorSeconds);
            }
        }
        double rate = docs / seconds;
        double floorRate = docs / floorSeconds;
        return new Result()
                .put("docs", (long) docs)
                .put("docs_per_s", (long) rate)
                .put("floor_docs_per_s", (long) floorRate)
                .put("ratio", rate / floorRate);
    }

    /**
     * Both sides measured warm: the first few thousand documents read and bulk loaded once into a throwaway index, so
     * that neither the JVM's compiler nor the node's first indexing (mappings, segments) counts against whichever side
     * runs first. Without it, the consumer, which ran first, paid for both.
     */
    private static void warmUp(SearchIndex index, Documents documents, int count, int bulkSize) {
        String throwaway = index.newGeneration(Kind.PAYMENTS) + "-warm-up";
        index.create(throwaway);
        Bulk bulk = index.bulk(throwaway, bulkSize, n -> {});
        long after = 0;
        int written = 0;
        while (written < count) {
            List<Document> page = documents.page(Kind.PAYMENTS, after, Math.min(1000, count - written));
            if (page.isEmpty()) {
                break;
            }
            for (Document document : page) {
                bulk.add(document, 1);
            }
            written += page.size();
            after = Long.parseLong(page.getLast().id());
        }
        bulk.flush();
        index.delete(List.of(throwaway));
    }
}

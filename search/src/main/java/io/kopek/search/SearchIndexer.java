package io.kopek.search;

import io.kopek.outbox.OutboxConsumer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

/**
 * The outbox consumer {@code search-index}: a pass's events' documents ({@link Documents#forEvents}) as they are now,
 * each once with the id of the newest event that changed it as its external version (ids grow with time, so the newest state wins whatever the order of the
 * writes), sent in bulk requests; the pass's transaction, which moves the consumer's position, commits only after the
 * engine took the last request. An engine away or refusing fails the pass, which is run again later from the same
 * position: an event is never passed by. What a failed pass had sent already is sent again, at the same versions,
 * and ignored by the engine.
 */
public class SearchIndexer {

    static final String CONSUMER = "search-index";

    /**
     * A pass holds this advisory lock shared; a reindex's swap takes it exclusively, so that no pass is between its
     * position and its last bulk while the alias moves.
     */
    static final long SWAP_LOCK = 7160;

    private final OutboxConsumer outbox;
    private final Documents documents;
    private final SearchIndex index;
    private final SearchProperties properties;
    private final JdbcClient jdbc;
    private final Counter indexed;
    private final Counter failures;

    SearchIndexer(
            OutboxConsumer outbox,
            Documents documents,
            SearchIndex index,
            SearchProperties properties,
            JdbcClient jdbc,
            MeterRegistry meters) {
        this.outbox = outbox;
        this.documents = documents;
        this.index = index;
        this.properties = properties;
        this.jdbc = jdbc;
        this.indexed = Counter.builder("kopek.search.documents.indexed")
                .description("documents the search engine wrote")
                .register(meters);
        this.failures = Counter.builder("kopek.search.bulk.failures")
                .description("passes of the search indexer that failed (the engine away or refusing)")
                .register(meters);
        Gauge.builder(
                        "kopek.search.consumer.lag",
                        outbox,
                        o -> o.whereIs(CONSUMER).behind())
                .description("events (by id) the search indexer is behind the outbox")
                .register(meters);
    }

    /** One pass over the outbox; run it again while it consumes a full batch. */
    @Transactional
    public OutboxConsumer.Pass pass() {
        jdbc.sql("select pg_advisory_xact_lock_shared(?)")
                .param(SWAP_LOCK)
                .query()
                .singleValue();
        Bulk bulk = index.bulk(null, properties.bulkSize(), indexed::increment);
        try {
            // the pass's events together, their documents set-based: each once, a page of ids a statement
            OutboxConsumer.Pass pass = outbox.pollAll(
                    new OutboxConsumer.Subscription(CONSUMER, properties.outboxBatch(), properties.settle()),
                    events -> {
                        documents.forEvents(events, Documents.ALL, bulk::add);
                        return events.size();
                    });
            bulk.flush();
            return pass;
        } catch (RuntimeException e) {
            failures.increment();
            throw e;
        }
    }

    /** Whether the last pass read as many events as a pass may: there may be more waiting. */
    boolean full(OutboxConsumer.Pass pass) {
        return pass.events() >= properties.outboxBatch();
    }

    public OutboxConsumer.Position position() {
        return outbox.whereIs(CONSUMER);
    }
}

package io.kopek.search;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kopek.search.*}: the engine and the indexer.
 *
 * @param enabled whether Kopek indexes at all (off by default: the indexer runs only when an engine is configured)
 * @param uris the engine's nodes
 * @param username with {@code password}, HTTP Basic; or
 * @param apiKey an Elasticsearch API key (its encoded form), sent as {@code Authorization: ApiKey}
 * @param bulkSize documents per bulk request
 * @param outboxBatch events read per pass of the consumer
 * @param settle how old an event must be before the consumer takes it (a late commit is not skipped)
 * @param idle how long the loop sleeps after a pass that found nothing
 * @param retry how a bulk request the engine could not take (429, 5xx, no connection) is tried again
 * @param reindexLease how long a reindex's claim is its process's; a claim older than this is taken again
 * @param drift the daily comparison of the indices with PostgreSQL
 */
@ConfigurationProperties("kopek.search")
public record SearchProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("http://127.0.0.1:9200") List<URI> uris,
        String username,
        String password,
        String apiKey,
        @DefaultValue("1000") int bulkSize,
        @DefaultValue("1000") int outboxBatch,
        @DefaultValue("1s") Duration settle,
        @DefaultValue("500ms") Duration idle,
        @DefaultValue Retry retry,
        @DefaultValue("5m") Duration reindexLease,
        @DefaultValue Drift drift) {

    /**
     * @param initial the first wait, doubled at each attempt up to {@code max}, each drawn between half and all of it
     * @param max the longest wait, also the loop's backoff when a pass fails
     * @param attempts attempts of one bulk request before the pass gives up (and is run again after the backoff)
     */
    public record Retry(
            @DefaultValue("200ms") Duration initial,
            @DefaultValue("30s") Duration max,
            @DefaultValue("5") int attempts) {}

    /**
     * @param days the business days compared, today and the days before it
     * @param margin objects younger than this are left out on both sides: the indexer may not have reached them yet
     */
    public record Drift(
            @DefaultValue("7") int days, @DefaultValue("5m") Duration margin) {}
}

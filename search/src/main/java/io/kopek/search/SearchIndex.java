package io.kopek.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch._types.aggregations.CalendarInterval;
import co.elastic.clients.elasticsearch._types.aggregations.DateHistogramBucket;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.indices.PutIndexTemplateRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kopek's indices in the engine: the templates and the aliases ({@link #prepare()}), generations, bulk writes with
 * external versions retried through the engine's refusals, counts, the alias swap. Every call may throw
 * {@link SearchUnavailableException} when the engine cannot be reached or keeps refusing; nothing here waits for
 * longer than its retries.
 */
public class SearchIndex {

    private static final Logger log = LoggerFactory.getLogger(SearchIndex.class);
    private static final DateTimeFormatter GENERATION =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC);

    private final ElasticsearchClient client;
    private final SearchProperties.Retry retry;
    private final Clock clock;

    public SearchIndex(ElasticsearchClient client, SearchProperties.Retry retry, Clock clock) {
        this.client = client;
        this.retry = retry;
        this.clock = clock;
    }

    /** Whether the engine answers: the cluster's health (its {@code GET /} is not there on every distribution). */
    public boolean healthy() {
        try {
            client.cluster().health();
            return true;
        } catch (IOException | ElasticsearchException e) {
            return false;
        }
    }

    /**
     * Applies every template (again: a changed template takes effect with the next generation) and gives each kind
     * without its alias a first generation behind it.
     */
    public void prepare() {
        for (Kind kind : Kind.values()) {
            call(() -> {
                try (InputStream json =
                        SearchIndex.class.getClassLoader().getResourceAsStream(kind.templateResource())) {
                    if (json == null) {
                        throw new IllegalStateException(
                                "no template " + kind.templateResource() + " on the class path");
                    }
                    client.indices()
                            .putIndexTemplate(PutIndexTemplateRequest.of(
                                    b -> b.name(kind.alias()).withJson(json)));
                }
                return null;
            });
            if (writeIndex(kind).isEmpty()) {
                String first = newGeneration(kind);
                call(() ->
                        client.indices().create(b -> b.index(first).aliases(kind.alias(), a -> a.isWriteIndex(true))));
                log.info("search: {} created behind {}", first, kind.alias());
            }
        }
    }

    /** The index the kind's alias writes to, if the alias exists. */
    public Optional<String> writeIndex(Kind kind) {
        return call(() -> {
            if (!client.indices().existsAlias(b -> b.name(kind.alias())).value()) {
                return Optional.<String>empty();
            }
            var aliases = client.indices().getAlias(b -> b.name(kind.alias())).result();
            return aliases.entrySet().stream()
                    .filter(e -> {
                        var alias = e.getValue().aliases().get(kind.alias());
                        return aliases.size() == 1 || (alias != null && Boolean.TRUE.equals(alias.isWriteIndex()));
                    })
                    .map(java.util.Map.Entry::getKey)
                    .findFirst();
        });
    }

    /** The indices behind a kind's alias. */
    public List<String> indicesOf(Kind kind) {
        return call(() -> {
            if (!client.indices().existsAlias(b -> b.name(kind.alias())).value()) {
                return List.<String>of();
            }
            return List.copyOf(client.indices()
                    .getAlias(b -> b.name(kind.alias()))
                    .result()
                    .keySet());
        });
    }

    /** A name for a new generation of a kind: {@code kopek-<kind>-<UTC time to the millisecond>}. */
    public String newGeneration(Kind kind) {
        return kind.alias() + "-" + GENERATION.format(clock.instant());
    }

    /** Creates an index outside the alias (a generation being built); its template gives its settings and mappings. */
    public void create(String index) {
        call(() -> client.indices().create(b -> b.index(index)));
    }

    public boolean exists(String index) {
        return call(() -> client.indices().exists(b -> b.index(index)).value());
    }

    /** Moves a kind's alias to the index given, as its write index, in one atomic change; returns the old indices. */
    public List<String> swap(Kind kind, String index) {
        List<String> old =
                indicesOf(kind).stream().filter(i -> !i.equals(index)).toList();
        call(() -> client.indices().updateAliases(b -> {
            for (String o : old) {
                b.actions(a -> a.remove(r -> r.index(o).alias(kind.alias())));
            }
            return b.actions(
                    a -> a.add(add -> add.index(index).alias(kind.alias()).isWriteIndex(true)));
        }));
        return old;
    }

    public void delete(List<String> indices) {
        if (!indices.isEmpty()) {
            call(() -> client.indices().delete(b -> b.index(indices).ignoreUnavailable(true)));
        }
    }

    public void refresh(String indexOrAlias) {
        call(() -> client.indices().refresh(b -> b.index(indexOrAlias)));
    }

    public long count(String indexOrAlias) {
        return call(() -> client.count(b -> b.index(indexOrAlias)).count());
    }

    /** A day's documents and the sum of their amounts (minor units). */
    public record Totals(long count, long sum) {}

    /**
     * Per day, the documents of an index or alias and the sum of {@code amountField}: the day is {@code dayField}'s in
     * {@code zone} (a {@code created_at} in the business zone, or a {@code business_date} in UTC, where it is stored
     * as midnight), for the days {@code from} to {@code to} and the documents created before {@code createdBefore}.
     */
    public Map<LocalDate, Totals> dailyTotals(
            String indexOrAlias,
            String dayField,
            String amountField,
            ZoneId zone,
            LocalDate from,
            LocalDate to,
            Instant createdBefore) {
        SearchResponse<Void> response = call(() -> client.search(
                s -> s.index(indexOrAlias)
                        .size(0)
                        .query(q -> q.bool(b -> b.filter(f -> f.range(r -> r.date(d -> d.field(dayField)
                                        .gte(from.toString())
                                        .lt(to.plusDays(1).toString())
                                        .format("yyyy-MM-dd")
                                        .timeZone(zone.getId()))))
                                .filter(f -> f.range(r -> r.date(d -> d.field("created_at")
                                        .lt(createdBefore.toString())
                                        .format("strict_date_optional_time"))))))
                        .aggregations(
                                "days",
                                a -> a.dateHistogram(h -> h.field(dayField)
                                                .calendarInterval(CalendarInterval.Day)
                                                .timeZone(zone.getId())
                                                .format("yyyy-MM-dd")
                                                .minDocCount(1))
                                        .aggregations("sum", sum -> sum.sum(m -> m.field(amountField)))),
                Void.class));
        Map<LocalDate, Totals> totals = new TreeMap<>();
        for (DateHistogramBucket bucket :
                response.aggregations().get("days").dateHistogram().buckets().array()) {
            // a sum of longs comes back as a double: exact below 2^53 minor units
            long sum = Math.round(bucket.aggregations().get("sum").sum().value());
            totals.put(LocalDate.parse(bucket.keyAsString()), new Totals(bucket.docCount(), sum));
        }
        return totals;
    }

    /** A bulk writer to the kinds' aliases (only to an alias: never an index made up by a write) or to one index. */
    public Bulk bulk(String index, int size, LongConsumer written) {
        return new Bulk(this, index, size, written);
    }

    /**
     * Sends index operations, each with its external version: a document already at that version or newer is a
     * conflict, expected (a replay, or the index ahead of this write) and ignored. The operations the engine could not
     * take now (429, 5xx) are sent again with the request's, after a wait doubling from {@code retry.initial} up to
     * {@code retry.max} with jitter, at most {@code retry.attempts} times. Any other refusal of a document is a fault
     * (a mapping the template does not allow): thrown, so the consumer stops on it rather than passing it by.
     *
     * @return how many documents the engine wrote
     */
    int send(List<BulkOperation> operations, boolean toAliases) {
        List<BulkOperation> pending = operations;
        int written = 0;
        Duration wait = retry.initial();
        for (int attempt = 1; ; attempt++) {
            List<BulkOperation> again = new ArrayList<>();
            try {
                List<BulkOperation> batch = pending;
                BulkResponse response = client.bulk(b -> b.operations(batch).requireAlias(toAliases));
                List<BulkResponseItem> items = response.items();
                for (int i = 0; i < items.size(); i++) {
                    BulkResponseItem item = items.get(i);
                    if (item.error() == null) {
                        written++;
                    } else if (item.status() == 409) {
                        // version_conflict_engine_exception: the index has this state or a newer one already
                    } else if (item.status() == 429 || item.status() >= 500) {
                        again.add(batch.get(i));
                    } else {
                        throw new IllegalStateException("the search engine refused document " + item.index() + "/"
                                + item.id() + ": " + item.error().type() + ": "
                                + item.error().reason());
                    }
                }
            } catch (IOException e) {
                again = pending;
                if (attempt >= retry.attempts()) {
                    throw new SearchUnavailableException("the search engine is unreachable: " + e.getMessage(), e);
                }
            } catch (ElasticsearchException e) {
                if (e.status() != 429 && e.status() < 500) {
                    throw e;
                }
                again = pending;
                if (attempt >= retry.attempts()) {
                    throw new SearchUnavailableException("the search engine keeps refusing: " + e.getMessage(), e);
                }
            }
            if (again.isEmpty()) {
                return written;
            }
            if (attempt >= retry.attempts()) {
                throw new SearchUnavailableException(
                        "the search engine did not take " + again.size() + " documents after " + attempt + " attempts",
                        null);
            }
            pending = again;
            sleep(jittered(wait));
            wait = wait.multipliedBy(2).compareTo(retry.max()) > 0 ? retry.max() : wait.multipliedBy(2);
        }
    }

    static BulkOperation indexOperation(String index, Document document, long version) {
        return BulkOperation.of(b -> b.index(i -> i.index(index)
                .id(document.id())
                .version(version)
                .versionType(VersionType.External)
                .document(document.source())));
    }

    /** Between half and all of the wait: processes retrying together do not come back together. */
    private static Duration jittered(Duration wait) {
        long millis = Math.max(1, wait.toMillis());
        return Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SearchUnavailableException("interrupted while waiting for the search engine", e);
        }
    }

    interface Call<T> {
        T run() throws IOException;
    }

    /** One call, its transport failure as {@link SearchUnavailableException}; 429 and 5xx retried like a bulk. */
    private <T> T call(Call<T> call) {
        Duration wait = retry.initial();
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (ElasticsearchException e) {
                if ((e.status() != 429 && e.status() < 500) || attempt >= retry.attempts()) {
                    throw e;
                }
            } catch (IOException e) {
                if (attempt >= retry.attempts()) {
                    throw new SearchUnavailableException("the search engine is unreachable: " + e.getMessage(), e);
                }
            } catch (UncheckedIOException e) {
                throw new SearchUnavailableException("the search engine is unreachable: " + e.getMessage(), e);
            }
            sleep(jittered(wait));
            wait = wait.multipliedBy(2).compareTo(retry.max()) > 0 ? retry.max() : wait.multipliedBy(2);
        }
    }
}

package io.kopek.search;

import io.kopek.outbox.OutboxConsumer;
import io.kopek.outbox.OutboxEvent;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rebuilds a kind from PostgreSQL into a new generation and moves its alias there, with no moment without an index:
 *
 * <ol>
 *   <li>the consumer's position {@code P0} is taken first: every event up to it was committed, so what it did is in
 *       whatever is read afterwards;
 *   <li>every object of the kind is written to the new index at version {@code P0} ({@link Documents#all});
 *   <li>the events after {@code P0} up to the consumer's position then {@code P1} are replayed into the new index: what
 *       changed while it was read, and what the consumer wrote meanwhile into the old one through the alias;
 *   <li>in one transaction holding the consumer's swap lock (no pass between its position and its last write), the
 *       events up to the consumer's position {@code P2} are replayed too, and the alias moves to the new index as its
 *       write index; the consumer goes on from {@code P2} into the new index.
 * </ol>
 *
 * The old generations are deleted after. External versions make every replay harmless: a write never lands on a
 * newer state. A run is claimed by one batch process; one that dies leaves its claim to lapse, and the run starts over
 * into another generation (the half-built one is deleted).
 */
public class Reindex {

    private static final Logger log = LoggerFactory.getLogger(Reindex.class);
    private static final int REPLAY_PAGE = 500;

    /** A reindex run: who asked, why and when (the audit), and where it is. */
    public record Run(
            long id,
            String kind,
            String status,
            String requestedBy,
            String reason,
            Instant requestedAt,
            Instant finishedAt,
            String newIndex,
            String oldIndices,
            long documents,
            String error) {}

    private final JdbcClient jdbc;
    private final SearchIndex index;
    private final Documents documents;
    private final OutboxConsumer consumer;
    private final io.kopek.outbox.Outbox outbox;
    private final TransactionTemplate transactions;
    private final SearchProperties properties;

    Reindex(
            JdbcClient jdbc,
            SearchIndex index,
            Documents documents,
            OutboxConsumer consumer,
            io.kopek.outbox.Outbox outbox,
            TransactionTemplate transactions,
            SearchProperties properties) {
        this.jdbc = jdbc;
        this.index = index;
        this.documents = documents;
        this.consumer = consumer;
        this.outbox = outbox;
        this.transactions = transactions;
        this.properties = properties;
    }

    /** Asks for a rebuild of each kind given (every kind when none), in the caller's transaction. */
    public List<Run> request(List<Kind> kinds, String requestedBy, String reason) {
        List<Run> runs = new ArrayList<>();
        for (Kind kind : kinds.isEmpty() ? List.of(Kind.values()) : kinds) {
            long id = jdbc.sql("insert into search_reindex (kind, requested_by, reason) values (?, ?, ?) returning id")
                    .params(kind.code(), requestedBy, reason)
                    .query(Long.class)
                    .single();
            runs.add(get(id));
        }
        return runs;
    }

    public Run get(long id) {
        return jdbc.sql("select * from search_reindex where id = ?")
                .param(id)
                .query(Reindex::run)
                .single();
    }

    public List<Run> recent(int limit) {
        return jdbc.sql("select * from search_reindex order by id desc limit ?")
                .param(limit)
                .query(Reindex::run)
                .list();
    }

    /** Claims the oldest run due (queued, or running under a lapsed claim) and runs it; false when none is due. */
    public boolean runNext() {
        return runNext(() -> {});
    }

    /** {@link #runNext()}, doing {@code afterLoad} between the load and the replays (a test's event meanwhile). */
    boolean runNext(Runnable afterLoad) {
        Optional<Run> claimed = transactions.execute(status -> jdbc.sql("update search_reindex set status = 'running',"
                        + " claimed_at = now(), attempts = attempts + 1 where id = (select id from search_reindex"
                        + " where status = 'queued' or (status = 'running' and claimed_at < now() - ?::interval)"
                        + " order by id limit 1 for update skip locked) returning *")
                .param(properties.reindexLease().toSeconds() + " seconds")
                .query(Reindex::run)
                .optional());
        if (claimed.isEmpty()) {
            return false;
        }
        Run run = claimed.get();
        try {
            rebuild(run, afterLoad);
        } catch (SearchUnavailableException e) {
            // the engine is away: the run stays claimed and is taken again when its lease lapses
            throw e;
        } catch (RuntimeException e) {
            jdbc.sql("update search_reindex set status = 'failed', finished_at = now(), error = ? where id = ?")
                    .params(String.valueOf(e.getMessage()), run.id())
                    .update();
            throw e;
        }
        return true;
    }

    /** Rebuilds the run's kind and swaps its alias; see the class's comment. */
    private void rebuild(Run run, Runnable afterLoad) {
        Kind kind = Kind.of(run.kind());
        if (run.newIndex() != null
                && index.indicesOf(kind).stream().noneMatch(run.newIndex()::equals)
                && index.exists(run.newIndex())) {
            index.delete(List.of(run.newIndex())); // what an earlier attempt left half-built
        }
        long start = consumer.whereIs(SearchIndexer.CONSUMER).lastEventId();
        String target = index.newGeneration(kind);
        index.create(target);
        jdbc.sql("update search_reindex set new_index = ?, from_event_id = ?, claimed_at = now() where id = ?")
                .params(target, start, run.id())
                .update();
        // each request renews the claim: a long rebuild stays this process's
        Bulk bulk = index.bulk(
                target,
                properties.bulkSize(),
                n -> jdbc.sql("update search_reindex set claimed_at = now() where id = ?")
                        .param(run.id())
                        .update());
        documents.all(kind, document -> bulk.add(document, start));
        bulk.flush();
        afterLoad.run();
        long caughtUp = consumer.whereIs(SearchIndexer.CONSUMER).lastEventId();
        replay(kind, target, start, caughtUp);
        List<String> old = transactions.execute(status -> {
            jdbc.sql("select pg_advisory_xact_lock(?)")
                    .param(SearchIndexer.SWAP_LOCK)
                    .query()
                    .singleValue();
            long now = consumer.whereIs(SearchIndexer.CONSUMER).lastEventId();
            replay(kind, target, caughtUp, now);
            return index.swap(kind, target);
        });
        index.delete(old);
        index.refresh(target);
        long count = index.count(target);
        jdbc.sql("update search_reindex set status = 'done', finished_at = now(), documents = ?, old_indices = ?,"
                        + " error = null where id = ?")
                .params(count, String.join(",", old), run.id())
                .update();
        log.info("search: {} rebuilt into {} ({} documents), replacing {}", kind.alias(), target, count, old);
    }

    /** The kind's documents of the events after {@code from} up to {@code to}, into the index given. */
    private void replay(Kind kind, String target, long from, long to) {
        Bulk bulk = index.bulk(target, properties.bulkSize(), n -> {});
        long after = from;
        while (after < to) {
            List<OutboxEvent> events = outbox.after(after, REPLAY_PAGE);
            if (events.isEmpty()) {
                break;
            }
            List<OutboxEvent> upTo =
                    events.stream().filter(event -> event.id() <= to).toList();
            documents.forEvents(upTo, EnumSet.of(kind), bulk::add);
            if (upTo.size() < events.size()) {
                break;
            }
            after = events.getLast().id();
        }
        bulk.flush();
    }

    private static Run run(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Run(
                rs.getLong("id"),
                rs.getString("kind"),
                rs.getString("status"),
                rs.getString("requested_by"),
                rs.getString("reason"),
                instant(rs.getTimestamp("requested_at")),
                instant(rs.getTimestamp("finished_at")),
                rs.getString("new_index"),
                rs.getString("old_indices"),
                rs.getLong("documents"),
                rs.getString("error"));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}

package io.kopek.outbox;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads the outbox for a named consumer (fiscal receipts, notifications, the search index) and hands each event to
 * its {@link Handler}. The consumer's position ({@code outbox_consumer}) and whatever the handler writes commit in
 * one transaction, so a pass that dies, or runs twice, never loses or repeats an event's work. Concurrent passes of
 * one consumer queue on the position's row lock.
 */
@Component
public class OutboxConsumer {

    /** One consumer's work on one event, run in the pass's transaction inside a savepoint. */
    public interface Handler {

        /** Does the event's work; {@code true} when it made something (a receipt, a delivery), for the pass's tally. */
        boolean handle(OutboxEvent event);

        /**
         * The event's work threw, and its savepoint was rolled back. Record what people need to know and return
         * whether that made something; the position then moves past the event. By default the whole pass fails
         * and the event is tried again by the next one.
         */
        default boolean failed(OutboxEvent event, RuntimeException cause) {
            throw cause;
        }
    }

    /**
     * A consumer's name (its position row) and how it reads: at most {@code batch} events a pass, and only those
     * older than {@code settle}, so that an event whose transaction commits a little late (its id taken before an
     * event already visible) is not skipped.
     */
    public record Subscription(String consumer, int batch, Duration settle) {}

    /** What one pass did: how many events it consumed and how many of them made something. */
    public record Pass(int events, int made) {}

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final TransactionTemplate perEvent;

    OutboxConsumer(JdbcClient jdbc, Outbox outbox, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.perEvent = new TransactionTemplate(transactions);
        this.perEvent.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /**
     * A consumer's work on a pass's events all at once, for work that is set-based (the search index reads the
     * objects of a thousand events in a few statements): no savepoint per event, and a failure fails the whole pass.
     */
    @FunctionalInterface
    public interface BatchHandler {

        /** Does the events' work, in the pass's transaction; returns how many of them made something. */
        int handle(List<OutboxEvent> events);
    }

    /** One pass over the events after the consumer's position. Run it again while it consumes a full batch. */
    @Transactional
    public Pass poll(Subscription subscription, Handler handler) {
        long position = position(subscription.consumer());
        List<OutboxEvent> events = settled(subscription, position);
        int made = 0;
        for (OutboxEvent event : events) {
            if (handle(event, handler)) {
                made++;
            }
        }
        advance(subscription, position, events);
        return new Pass(events.size(), made);
    }

    /**
     * One pass like {@link #poll(Subscription, Handler)} whose events go to the handler together: the position
     * moves past them all if it returns, past none if it throws.
     */
    @Transactional
    public Pass pollAll(Subscription subscription, BatchHandler handler) {
        long position = position(subscription.consumer());
        List<OutboxEvent> events = settled(subscription, position);
        int made = events.isEmpty() ? 0 : handler.handle(events);
        advance(subscription, position, events);
        return new Pass(events.size(), made);
    }

    /**
     * The events after the position, at most a batch, up to the first one younger than the settle time: a younger
     * event waits for the next pass, with any that commit late before it.
     */
    private List<OutboxEvent> settled(Subscription subscription, long position) {
        Instant settled = jdbc.sql("select clock_timestamp()")
                .query(Timestamp.class)
                .single()
                .toInstant()
                .minus(subscription.settle());
        List<OutboxEvent> events = outbox.after(position, subscription.batch());
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).occurredAt().isAfter(settled)) {
                return events.subList(0, i);
            }
        }
        return events;
    }

    private void advance(Subscription subscription, long position, List<OutboxEvent> consumed) {
        if (!consumed.isEmpty() && consumed.getLast().id() != position) {
            jdbc.sql("update outbox_consumer set last_event_id = ? where consumer = ?")
                    .params(consumed.getLast().id(), subscription.consumer())
                    .update();
        }
    }

    /**
     * Where a consumer is, read without a lock: the id of the last event it consumed (0 before its first pass) and of
     * the newest event written, for its lag, and for work that replays what a consumer did after a point.
     */
    @Transactional(readOnly = true)
    public Position whereIs(String consumer) {
        return jdbc.sql("select coalesce((select last_event_id from outbox_consumer where consumer = ?), 0),"
                        + " coalesce((select max(id) from outbox_event), 0)")
                .param(consumer)
                .query((rs, n) -> new Position(rs.getLong(1), rs.getLong(2)))
                .single();
    }

    /** A consumer's last consumed event and the newest event of the outbox; {@link #behind()} is its lag in ids. */
    public record Position(long lastEventId, long latestEventId) {

        public long behind() {
            return Math.max(0, latestEventId - lastEventId);
        }
    }

    /** The consumer's position, locked; a new consumer starts at the first event. */
    private long position(String consumer) {
        jdbc.sql("insert into outbox_consumer (consumer, last_event_id) values (?, 0) on conflict do nothing")
                .param(consumer)
                .update();
        return jdbc.sql("select last_event_id from outbox_consumer where consumer = ? for update")
                .param(consumer)
                .query(Long.class)
                .single();
    }

    private boolean handle(OutboxEvent event, Handler handler) {
        try {
            return Boolean.TRUE.equals(perEvent.execute(status -> handler.handle(event)));
        } catch (RuntimeException e) {
            return handler.failed(event, e);
        }
    }
}

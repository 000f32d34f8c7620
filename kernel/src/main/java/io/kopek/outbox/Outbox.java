package io.kopek.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * The transactional outbox. A domain event is written in the same database transaction as the change it
 * announces, so it exists exactly when the change does; consumers (notifications, fiscal receipts, search
 * indexing) read it afterwards.
 */
@Component
public class Outbox {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    Outbox(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Must be called inside the transaction that makes the change. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void publish(String type, String aggregateType, Object aggregateId, Map<String, ?> payload) {
        pending().add(new String[] {
            UUID.randomUUID().toString(),
            type,
            aggregateType,
            String.valueOf(aggregateId),
            json.writeValueAsString(payload)
        });
    }

    /**
     * The events published in the current transaction, written in one statement just before it commits (and in
     * the order they were published). A rolled-back transaction writes none.
     */
    @SuppressWarnings("unchecked")
    private List<String[]> pending() {
        Object bound = TransactionSynchronizationManager.getResource(this);
        if (bound != null) {
            return (List<String[]>) bound;
        }
        List<String[]> events = new ArrayList<>();
        TransactionSynchronizationManager.bindResource(this, events);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
                write(events);
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(Outbox.this);
            }
        });
        return events;
    }

    private void write(List<String[]> events) {
        if (events.isEmpty()) {
            return;
        }
        String[][] columns = new String[5][events.size()];
        for (int i = 0; i < events.size(); i++) {
            for (int c = 0; c < 5; c++) {
                columns[c][i] = events.get(i)[c];
            }
        }
        jdbc.sql("insert into outbox_event (event_id, type, aggregate_type, aggregate_id, payload)"
                        + " select e::uuid, t, a, i, p::jsonb"
                        + " from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[])"
                        + " with ordinality as x (e, t, a, i, p, n) order by n")
                .params((Object[]) columns)
                .update();
    }

    /** Events in the order they were written, after {@code afterId}. */
    @Transactional(readOnly = true)
    public List<OutboxEvent> after(long afterId, int limit) {
        return jdbc.sql("select id, event_id, type, aggregate_type, aggregate_id, payload::text as payload, occurred_at"
                        + " from outbox_event where id > ? order by id limit ?")
                .params(afterId, limit)
                .query((rs, n) -> new OutboxEvent(
                        rs.getLong("id"),
                        rs.getObject("event_id", UUID.class),
                        rs.getString("type"),
                        rs.getString("aggregate_type"),
                        rs.getString("aggregate_id"),
                        json.readValue(rs.getString("payload"), Map.class),
                        rs.getTimestamp("occurred_at").toInstant()))
                .list();
    }
}

package io.kopek.outbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The transactional outbox. A domain event is written in the same database transaction as the change it
 * announces, so it exists exactly when the change does; consumers (fiscal receipts, notifications, search
 * indexing) read it afterwards through an {@link OutboxConsumer}.
 *
 * <p>Payloads are the events' records in JSON by a mapper of the outbox's own, not the application's: the API may
 * name its fields in snake_case, but an event's payload is its documented contract ({@code docs/events.md}):
 * camelCase names, enums as their lower-case codes, dates and instants in ISO 8601, and no field for what does not
 * apply. Database functions that publish events ({@code outbox_publish}) write the same payloads, held to the
 * records by a test.
 */
@Component
public class Outbox {

    /** The mapper of events' payloads, for consumers that read them as JSON. */
    public static final JsonMapper PAYLOADS = JsonMapper.builder()
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_NULL))
            .enable(EnumFeature.WRITE_ENUMS_TO_LOWERCASE)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private static final Map<Class<?>, EventType> TYPES = new ConcurrentHashMap<>();
    private static final Map<Class<?>, Method> AGGREGATE_IDS = new ConcurrentHashMap<>();

    private final JdbcClient jdbc;

    Outbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The type, version and aggregate of an event record; refused for a record without {@link EventType}. */
    public static EventType typeOf(Class<? extends DomainEvent> event) {
        return TYPES.computeIfAbsent(event, c -> {
            EventType type = c.getAnnotation(EventType.class);
            if (type == null) {
                throw new IllegalArgumentException(c.getName() + " is a DomainEvent without @EventType");
            }
            return type;
        });
    }

    /** The id of the aggregate the event is about: the component its {@link EventType#aggregateId()} names. */
    public static Object aggregateIdOf(DomainEvent event) {
        Method accessor = AGGREGATE_IDS.computeIfAbsent(event.getClass(), c -> {
            String name = typeOf(event.getClass()).aggregateId();
            return Arrays.stream(c.getRecordComponents())
                    .filter(component -> component.getName().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(
                            c.getName() + " has no component " + name + " for its aggregate's id"))
                    .getAccessor();
        });
        try {
            return accessor.invoke(event);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Must be called inside the transaction that makes the change. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void publish(DomainEvent event) {
        EventType type = typeOf(event.getClass());
        pending().add(new String[] {
            UUID.randomUUID().toString(),
            type.name(),
            Integer.toString(type.version()),
            type.aggregate(),
            String.valueOf(aggregateIdOf(event)),
            PAYLOADS.writeValueAsString(event)
        });
    }

    /**
     * The event's payload as its record, refused when the event is of another type or version, or does not fit the
     * record (a field it lacks, one it does not know).
     */
    public static <T extends DomainEvent> T payload(OutboxEvent event, Class<T> record) {
        EventType type = typeOf(record);
        if (!type.name().equals(event.type()) || type.version() != event.version()) {
            throw new IllegalArgumentException("event " + event.id() + " is " + event.type() + " v" + event.version()
                    + ", not " + type.name() + " v" + type.version());
        }
        return PAYLOADS.convertValue(event.payload(), record);
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
        int width = events.getFirst().length;
        String[][] columns = new String[width][events.size()];
        for (int i = 0; i < events.size(); i++) {
            for (int c = 0; c < width; c++) {
                columns[c][i] = events.get(i)[c];
            }
        }
        jdbc.sql("insert into outbox_event (event_id, type, version, aggregate_type, aggregate_id, payload)"
                        + " select e::uuid, t, v::int, a, i, p::jsonb"
                        + " from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])"
                        + " with ordinality as x (e, t, v, a, i, p, n) order by n")
                .params((Object[]) columns)
                .update();
    }

    /** Events in the order they were written, after {@code afterId}. */
    @Transactional(readOnly = true)
    public List<OutboxEvent> after(long afterId, int limit) {
        return jdbc.sql("select id, event_id, type, version, aggregate_type, aggregate_id, payload::text as payload,"
                        + " occurred_at from outbox_event where id > ? order by id limit ?")
                .params(afterId, limit)
                .query((rs, n) -> new OutboxEvent(
                        rs.getLong("id"),
                        rs.getObject("event_id", UUID.class),
                        rs.getString("type"),
                        rs.getInt("version"),
                        rs.getString("aggregate_type"),
                        rs.getString("aggregate_id"),
                        PAYLOADS.readValue(rs.getString("payload"), Map.class),
                        rs.getTimestamp("occurred_at").toInstant()))
                .list();
    }
}

package io.kopek.notification.webhook;

import io.kopek.notification.Notification;
import io.kopek.notification.NotificationChannel;
import io.kopek.notification.ObjectState;
import io.kopek.outbox.Outbox;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The webhook fan-out: for each notified event, a message for every enabled endpoint that hears its type, of the
 * event's merchant or of the installation (which hears every event). The body is written here, once, and kept as
 * bytes: every attempt and every re-send carries exactly these bytes under the event's id.
 */
@Component
class WebhookChannel implements NotificationChannel {

    private final JdbcClient jdbc;
    private final Clock clock;

    WebhookChannel(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public boolean accept(Notification notification) {
        List<Long> endpoints = jdbc.sql("select endpoint_id from webhook_endpoint where enabled"
                        + " and (merchant_id is null or merchant_id = ?)"
                        + " and (cardinality(event_types) = 0 or ? = any(event_types)) order by endpoint_id")
                .params(notification.subject().merchantId(), notification.type())
                .query(Long.class)
                .list();
        if (endpoints.isEmpty()) {
            return false;
        }
        byte[] body = body(notification);
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("insert into webhook_message (endpoint_id, event_id, event_type, ordering_key, body, occurred_at,"
                        + " next_attempt_at, created_at)"
                        + " select e, ?, ?, ?, ?, ?, ?, ? from unnest(?::bigint[]) e"
                        + " on conflict (endpoint_id, event_id) do nothing")
                .params(
                        notification.eventId(),
                        notification.type(),
                        notification.subject().orderingKey(),
                        body,
                        Timestamp.from(notification.occurredAt()),
                        now,
                        now,
                        endpoints.toArray(Long[]::new))
                .update();
        return true;
    }

    /**
     * Version 1 of the body ({@code docs/webhooks.md}): the event as {@code docs/events.md} writes it (id, type,
     * version, time, payload) and the object's state with its kind, by the outbox's mapper (camelCase, ISO 8601, no
     * field for what does not apply).
     */
    static byte[] body(Notification notification) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", notification.eventId());
        body.put("type", notification.type());
        body.put("version", notification.version());
        body.put("time", notification.occurredAt());
        body.put("payload", notification.payload());
        ObjectState object = notification.subject().object();
        if (object != null) {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("kind", object.kind());
            state.putAll(Outbox.PAYLOADS.convertValue(object, Map.class));
            body.put("object", state);
        }
        return Outbox.PAYLOADS.writeValueAsBytes(body);
    }
}

package io.kopek.notification.webhook;

import io.kopek.errors.KopekException;
import io.swagger.v3.oas.annotations.media.Schema;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * An endpoint's delivery log (its messages, each with every attempt), and putting messages back to be sent again:
 * one (re-send), or every failing and dead one since a time (recover). A message put back keeps its event's id and
 * its body, and starts the retry schedule afresh.
 */
@Service
class WebhookMessages {

    /** A message's state: pending (to be sent), failing (retrying), delivered, dead (given up). */
    enum State {
        PENDING,
        FAILING,
        DELIVERED,
        DEAD;

        static State of(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }

        String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Schema(name = "WebhookAttempt")
    record Attempt(Instant at, Integer statusCode, String error, int latencyMs, String response) {}

    @Schema(name = "WebhookMessage")
    record Message(
            long id,
            long endpointId,
            UUID eventId,
            String eventType,
            String orderingKey,
            String state,
            Instant occurredAt,
            Instant nextAttemptAt,
            Instant deliveredAt,
            String lastError,
            Instant createdAt,
            List<Attempt> attempts) {}

    private static final String COLUMNS = "message_id, endpoint_id, event_id, event_type, ordering_key, state,"
            + " occurred_at, next_attempt_at, delivered_at, last_error, created_at";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final WebhookEndpoints endpoints;

    WebhookMessages(JdbcClient jdbc, Clock clock, WebhookEndpoints endpoints) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.endpoints = endpoints;
    }

    /** The endpoint's messages, newest first, older than {@code beforeId} (0: from the newest). */
    @Transactional(readOnly = true)
    public List<Message> log(long endpointId, State state, long beforeId, int limit) {
        endpoints.get(endpointId);
        List<Message> messages = jdbc.sql("select " + COLUMNS + " from webhook_message where endpoint_id = ?"
                        + " and (? = 0 or message_id < ?) and (?::text is null or state = ?)"
                        + " order by message_id desc limit ?")
                .params(
                        endpointId,
                        beforeId,
                        beforeId,
                        state == null ? null : state.code(),
                        state == null ? null : state.code(),
                        limit)
                .query((rs, n) -> message(rs, List.of()))
                .list();
        if (messages.isEmpty()) {
            return messages;
        }
        Map<Long, List<Attempt>> attempts = new LinkedHashMap<>();
        jdbc.sql("select message_id, attempted_at, status_code, error, latency_ms, response from webhook_attempt"
                        + " where message_id = any(?) order by attempt_id")
                .param(messages.stream().map(Message::id).toArray(Long[]::new))
                .query(rs -> {
                    int code = rs.getInt("status_code");
                    Integer status = rs.wasNull() ? null : code;
                    attempts.computeIfAbsent(rs.getLong("message_id"), id -> new java.util.ArrayList<>())
                            .add(new Attempt(
                                    rs.getTimestamp("attempted_at").toInstant(),
                                    status,
                                    rs.getString("error"),
                                    rs.getInt("latency_ms"),
                                    rs.getString("response")));
                });
        return messages.stream()
                .map(m -> withAttempts(m, attempts.getOrDefault(m.id(), List.of())))
                .toList();
    }

    /** Sends the message again, now (a delivered one too: the receiver asked for it), under the same event id. */
    @Transactional
    public Message resend(long endpointId, long messageId) {
        Instant now = clock.instant();
        int updated = jdbc.sql("update webhook_message set state = 'pending', attempts = 0, next_attempt_at = ?,"
                        + " last_error = null where message_id = ? and endpoint_id = ?"
                        + " and (leased_until is null or leased_until <= ?)")
                .params(Timestamp.from(now), messageId, endpointId, Timestamp.from(now))
                .update();
        if (updated == 0) {
            boolean exists = jdbc.sql("select count(*) from webhook_message where message_id = ? and endpoint_id = ?")
                            .params(messageId, endpointId)
                            .query(Long.class)
                            .single()
                    > 0;
            if (!exists) {
                throw KopekException.notFound("webhook message", messageId);
            }
            throw KopekException.conflict(
                    "webhook-message-in-flight", "message " + messageId + " is being sent now; try again shortly");
        }
        return jdbc.sql("select " + COLUMNS + " from webhook_message where message_id = ?")
                .param(messageId)
                .query((rs, n) -> message(rs, List.of()))
                .single();
    }

    /** Puts every failing and dead message of the endpoint created since {@code since} back to be sent now. */
    @Transactional
    public int recover(long endpointId, Instant since) {
        endpoints.get(endpointId);
        Instant now = clock.instant();
        return jdbc.sql(
                        "update webhook_message set state = 'pending', attempts = 0, next_attempt_at = ?,"
                                + " last_error = null where endpoint_id = ? and state in ('failing', 'dead') and created_at >= ?")
                .params(Timestamp.from(now), endpointId, Timestamp.from(since))
                .update();
    }

    private static Message message(ResultSet rs, List<Attempt> attempts) throws SQLException {
        return new Message(
                rs.getLong("message_id"),
                rs.getLong("endpoint_id"),
                rs.getObject("event_id", UUID.class),
                rs.getString("event_type"),
                rs.getString("ordering_key"),
                rs.getString("state"),
                WebhookEndpoints.instant(rs, "occurred_at"),
                WebhookEndpoints.instant(rs, "next_attempt_at"),
                WebhookEndpoints.instant(rs, "delivered_at"),
                rs.getString("last_error"),
                WebhookEndpoints.instant(rs, "created_at"),
                attempts);
    }

    private static Message withAttempts(Message m, List<Attempt> attempts) {
        return new Message(
                m.id(),
                m.endpointId(),
                m.eventId(),
                m.eventType(),
                m.orderingKey(),
                m.state(),
                m.occurredAt(),
                m.nextAttemptAt(),
                m.deliveredAt(),
                m.lastError(),
                m.createdAt(),
                attempts);
    }
}

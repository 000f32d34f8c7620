package io.kopek.outbox;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An event as the outbox keeps it: its id, stable across deliveries ({@code eventId}), the type and version of its
 * record ({@link EventType}), the aggregate it is about and the payload as JSON ({@link Outbox#payload} reads it as
 * its record).
 */
public record OutboxEvent(
        long id,
        UUID eventId,
        String type,
        int version,
        String aggregateType,
        String aggregateId,
        Map<?, ?> payload,
        Instant occurredAt) {}

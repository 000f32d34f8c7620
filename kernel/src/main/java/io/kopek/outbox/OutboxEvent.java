package io.kopek.outbox;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

public record OutboxEvent(
        long id,
        UUID eventId,
        String type,
        String aggregateType,
        String aggregateId,
        Map<?, ?> payload,
        Instant occurredAt) {}

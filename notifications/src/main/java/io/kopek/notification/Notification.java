package io.kopek.notification;

import io.kopek.outbox.DomainEvent;
import io.kopek.outbox.EventType;
import io.kopek.outbox.Outbox;
import io.kopek.outbox.OutboxEvent;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An outbox event as the channels see it: the event itself (its id is the notification's id in every channel and on
 * every retry: the {@code webhook-id}, the e-mail's {@code Message-ID}), and whom and what it concerns.
 *
 * @param eventId the event's id, the same in every delivery
 * @param type the event's type ({@code invoice.paid}), as {@code docs/events.md} lists it
 * @param version the version of the event's payload
 * @param occurredAt when the event was written
 * @param payload the event's payload as the outbox keeps it (camelCase, amounts in minor units)
 * @param subject the merchant, customer, ordering key and current state of what the event is about
 */
public record Notification(
        UUID eventId, String type, int version, Instant occurredAt, Map<?, ?> payload, Subject subject) {

    static Notification of(OutboxEvent event, Subject subject) {
        return new Notification(
                event.eventId(), event.type(), event.version(), event.occurredAt(), event.payload(), subject);
    }

    /** The payload read as the event's record; refused when the record is of another type or version. */
    public <T extends DomainEvent> T payloadAs(Class<T> record) {
        EventType declared = Outbox.typeOf(record);
        if (!declared.name().equals(type) || declared.version() != version) {
            throw new IllegalArgumentException("event " + eventId + " is " + type + " v" + version + ", not "
                    + declared.name() + " v" + declared.version());
        }
        return Outbox.PAYLOADS.convertValue(payload, record);
    }
}

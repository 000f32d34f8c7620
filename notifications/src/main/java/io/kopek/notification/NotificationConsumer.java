package io.kopek.notification;

import io.kopek.outbox.OutboxConsumer;
import io.kopek.outbox.OutboxEvent;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * The outbox consumer {@code notifications}: every event becomes a {@link Notification} handed to each
 * {@link NotificationChannel}, in the transaction that moves the consumer's position past it. An event whose
 * channels throw stops the pass, and the next pass tries it again, so a fault delays notifications but never drops
 * one. Events older than {@code kopek.notifications.max-age} (a week) are passed over, so an installation that adds
 * notifications does not tell its customers about years of invoices.
 */
@Service
public class NotificationConsumer {

    static final String CONSUMER = "notifications";

    private final OutboxConsumer outbox;
    private final Subjects subjects;
    private final List<NotificationChannel> channels;
    private final NotificationProperties properties;

    NotificationConsumer(
            OutboxConsumer outbox,
            Subjects subjects,
            List<NotificationChannel> channels,
            NotificationProperties properties) {
        this.outbox = outbox;
        this.subjects = subjects;
        this.channels = channels;
        this.properties = properties;
    }

    /** One pass over the outbox; run it again while it consumes a full batch. */
    public OutboxConsumer.Pass poll() {
        return outbox.poll(
                new OutboxConsumer.Subscription(CONSUMER, properties.outboxBatch(), properties.settle()), this::handle);
    }

    /** Whether the last pass read as many events as a pass may: there may be more waiting. */
    boolean full(OutboxConsumer.Pass pass) {
        return pass.events() >= properties.outboxBatch();
    }

    private boolean handle(OutboxEvent event) {
        if (event.occurredAt().isBefore(Instant.now().minus(properties.maxAge()))) {
            return false; // news no longer: an installation that adds notifications does not tell its whole past
        }
        Notification notification = Notification.of(event, subjects.of(event));
        boolean made = false;
        for (NotificationChannel channel : channels) {
            made |= channel.accept(notification);
        }
        return made;
    }
}

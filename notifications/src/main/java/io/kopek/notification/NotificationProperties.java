package io.kopek.notification;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kopek.notifications.*}: the consumer and the pumps' loops. The channels have their own sections
 * ({@code kopek.notifications.webhooks.*}, {@code kopek.notifications.mail.*}).
 *
 * @param enabled whether the batch role runs the consumer and the pumps
 * @param outboxBatch events read per pass of the consumer
 * @param settle how old an event must be before the consumer takes it (an event whose transaction commits late is
 *     not skipped: the outbox consumer's rule)
 * @param idle how long a loop sleeps after a pass that found nothing to do
 * @param maxAge events older than this when the consumer reaches them are not notified
 */
@ConfigurationProperties("kopek.notifications")
public record NotificationProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("500") int outboxBatch,
        @DefaultValue("1s") Duration settle,
        @DefaultValue("500ms") Duration idle,
        @DefaultValue("7d") Duration maxAge) {}

package io.kopek.notification.webhook;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * A merchant's (or the installation's) webhook endpoint. Its secret is never shown again after creation or rotation.
 *
 * @param merchantId null: an endpoint of the installation, which hears every event
 * @param eventTypes the event types it hears ({@code invoice.paid}); empty: all
 * @param disabledReason why it was disabled (by Kopek: {@code 410 Gone}, failing for days; or by an admin)
 * @param failingSince the first failed attempt since the last delivery, while it keeps failing
 */
@Schema(name = "WebhookEndpoint")
public record WebhookEndpoint(
        long id,
        Long merchantId,
        String url,
        List<String> eventTypes,
        String description,
        boolean enabled,
        String disabledReason,
        Instant disabledAt,
        String contactEmail,
        Instant failingSince,
        Instant createdAt,
        Instant updatedAt) {}

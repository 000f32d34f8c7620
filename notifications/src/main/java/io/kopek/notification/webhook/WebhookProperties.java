package io.kopek.notification.webhook;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kopek.notifications.webhooks.*}: signing, delivery and the SSRF rule of webhooks to merchants' systems.
 *
 * @param secretKey base64 of 32 bytes: the AES-GCM key that endpoints' signing secrets are stored under; from the
 *     environment only ({@code KOPEK_NOTIFICATIONS_WEBHOOKS_SECRET_KEY}), never in a file of the repository. Without
 *     it no endpoint can be registered (503) and nothing is signed
 * @param rotationOverlap how long the previous secret still signs after a rotation (both signatures are sent)
 * @param allowHttp whether plain {@code http://} URLs may be registered (demo and tests); otherwise https only
 * @param allowedNetworks CIDRs that may be called although the SSRF rule refuses them (loopback, private,
 *     link-local, ...): {@code 127.0.0.0/8} in the demo and tests; empty in production
 * @param concurrency requests in flight at once per batch process (virtual threads)
 * @param claimSize messages claimed by one pass at most (also bounded by the free places of {@code concurrency})
 * @param lease how long a claimed message is left to its process: after a crash it is sent again once the lease
 *     ends (with the same {@code webhook-id}); longer than the request timeout
 * @param connectTimeout TCP and TLS connection timeout
 * @param requestTimeout the whole answer's timeout (Standard Webhooks' receivers must answer within 15 s)
 * @param retrySchedule the waits between attempts (each with full jitter: uniform in (0, 2 × wait], so the expected
 *     total is the schedule's sum, about three days); after the last retry fails the message is dead-lettered
 * @param disableAfter an endpoint whose attempts have failed without one delivery for this long is disabled
 */
@ConfigurationProperties("kopek.notifications.webhooks")
public record WebhookProperties(
        String secretKey,
        @DefaultValue("24h") Duration rotationOverlap,
        @DefaultValue("false") boolean allowHttp,
        @DefaultValue List<String> allowedNetworks,
        @DefaultValue("64") int concurrency,
        @DefaultValue("256") int claimSize,
        @DefaultValue("1m") Duration lease,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("15s") Duration requestTimeout,

        @DefaultValue({"5s", "1m", "5m", "30m", "2h", "5h", "10h", "14h", "20h", "24h"})
        List<Duration> retrySchedule,

        @DefaultValue("5d") Duration disableAfter) {

    public WebhookProperties {
        allowedNetworks = allowedNetworks == null ? List.of() : List.copyOf(allowedNetworks);
        retrySchedule = retrySchedule == null ? List.of() : List.copyOf(retrySchedule);
        if (concurrency < 1 || claimSize < 1) {
            throw new IllegalArgumentException(
                    "kopek.notifications.webhooks.concurrency and claim-size must be positive");
        }
        if (lease.compareTo(requestTimeout) <= 0) {
            throw new IllegalArgumentException(
                    "kopek.notifications.webhooks.lease must be longer than request-timeout");
        }
    }
}

package io.kopek.provider.generic;

import io.kopek.provider.registry.RegistrySettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One processor under {@code kopek.generic-processors.<id>}: everything Kopek needs to talk to a simple JSON
 * processing centre without Java code. Field mappings name a JSON path with dots ({@code payment.state}).
 *
 * @param baseUrl the API root
 * @param apiKeyHeader the header that carries {@code apiKey}
 * @param apiKey the credential; from the environment, never from a file in the repository
 * @param idempotencyHeader the header that carries our idempotency key on every POST
 * @param amountFormat {@code minor} (integer kopecks) or {@code decimal} ({@code "100.00"})
 * @param endpoints the five operations; {@code {id}} in a path is the processor's payment id
 * @param request where our fields go in a create request: amount, currency, order-number, hold, description,
 *     return-url, metadata; and in capture and refund requests: amount
 * @param response where our fields are in a payment: id, status, amount, captured, refunded, confirmation-url,
 *     failure-reason, card-mask, order-number; and error-code in an error answer
 * @param statuses the processor's statuses mapped to ours: pending, authorized, succeeded, canceled, refunded
 * @param callback how callbacks are signed and read
 * @param registry the processor's settlement registry, a column-mapped CSV (see {@link RegistrySettings}: file
 *     pattern, encoding, separator, decimal format, time format and zone, header of each field, operation values,
 *     totals line, policy); without it the processor has no registry parser
 */
public record GenericProcessorProperties(
        URI baseUrl,
        @DefaultValue("X-Api-Key") String apiKeyHeader,
        String apiKey,
        @DefaultValue("Idempotency-Key") String idempotencyHeader,
        @DefaultValue("minor") String amountFormat,
        Endpoints endpoints,
        Map<String, String> request,
        Map<String, String> response,
        Map<String, String> statuses,
        Callback callback,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("30s") Duration requestTimeout,
        RegistrySettings registry) {

    public record Endpoints(Endpoint create, Endpoint capture, Endpoint cancel, Endpoint refund, Endpoint status) {}

    public record Endpoint(@DefaultValue("POST") String method, String path) {}

    /**
     * @param signatureHeader the header with the hex HMAC-SHA256 of the raw body
     * @param secret the HMAC key
     * @param paymentId where the payment id is in the callback body
     * @param event where the event type is
     * @param eventId where the processor's event id is (for deduplication)
     */
    public record Callback(
            @DefaultValue("X-Signature") String signatureHeader,
            String secret,
            @DefaultValue("payment_id") String paymentId,
            @DefaultValue("event") String event,
            @DefaultValue("event_id") String eventId) {}
}

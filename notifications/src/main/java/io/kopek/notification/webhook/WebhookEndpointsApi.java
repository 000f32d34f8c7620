package io.kopek.notification.webhook;

import io.kopek.api.Allowed;
import io.kopek.api.ApiRole;
import io.kopek.api.Idempotent;
import io.kopek.api.Page;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.errors.KopekException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Merchants' webhook endpoints ({@code docs/webhooks.md}): admins register, change, rotate and delete them; operators
 * also read them, read the delivery log, re-send a message and recover failed ones. A new or rotated secret is in the
 * answer once: a replay of the same {@code Idempotency-Key} answers without it.
 */
@RestController
@ConditionalOnRole(Role.API)
@RequestMapping("/api/v1/webhook-endpoints")
class WebhookEndpointsApi {

    private final WebhookEndpoints endpoints;
    private final WebhookMessages messages;

    WebhookEndpointsApi(WebhookEndpoints endpoints, WebhookMessages messages) {
        this.endpoints = endpoints;
        this.messages = messages;
    }

    /**
     * A new endpoint: {@code merchant_id} absent for an endpoint of the installation (every event); {@code
     * event_types} empty or absent for every type.
     */
    @Schema(name = "WebhookEndpointRegistration")
    record Registration(
            Long merchantId, String url, List<String> eventTypes, String description, String contactEmail) {}

    /** What to change; an absent field is left as it is. {@code enabled: false} disables the endpoint. */
    @Schema(name = "WebhookEndpointChange")
    record Change(String url, List<String> eventTypes, String description, Boolean enabled, String contactEmail) {}

    /** An endpoint with its signing secret ({@code whsec_...}), shown this once. */
    @Schema(name = "WebhookEndpointWithSecret")
    record WithSecret(
            long id,
            Long merchantId,
            String url,
            List<String> eventTypes,
            String description,
            boolean enabled,
            String contactEmail,
            Instant createdAt,
            String secret) {

        static WithSecret of(WebhookEndpoints.WithSecret created) {
            WebhookEndpoint e = created.endpoint();
            return new WithSecret(
                    e.id(),
                    e.merchantId(),
                    e.url(),
                    e.eventTypes(),
                    e.description(),
                    e.enabled(),
                    e.contactEmail(),
                    e.createdAt(),
                    created.secret());
        }
    }

    /** Every failing and dead message created since this instant is sent again. */
    @Schema(name = "WebhookRecovery")
    record Recovery(Instant since) {}

    @Schema(name = "WebhookRecovered")
    record Recovered(int messages) {}

    @Operation(summary = "Register a webhook endpoint (its secret is in this answer only)")
    @Allowed(ApiRole.ADMIN)
    @Idempotent(value = Idempotent.Mode.IN_TRANSACTION, secret = "secret")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    WithSecret register(@RequestBody Registration body) {
        return WithSecret.of(endpoints.register(new WebhookEndpoints.Registration(
                body.merchantId(), body.url(), body.eventTypes(), body.description(), body.contactEmail())));
    }

    @Operation(summary = "List webhook endpoints")
    @Allowed({ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping
    Page<WebhookEndpoint> list(
            @RequestParam(name = "merchant_id", required = false) Long merchantId,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        return Page.read(cursor, limit, (after, n) -> endpoints.list(merchantId, after, n), WebhookEndpoint::id);
    }

    @Operation(summary = "Get a webhook endpoint")
    @Allowed({ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/{id}")
    WebhookEndpoint get(@PathVariable long id) {
        return endpoints.get(id);
    }

    @Operation(summary = "Change a webhook endpoint's URL, event types, description, contact or enabled")
    @Allowed(ApiRole.ADMIN)
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/{id}")
    WebhookEndpoint change(@PathVariable long id, @RequestBody Change body) {
        return endpoints.change(
                id,
                new WebhookEndpoints.Change(
                        body.url(), body.eventTypes(), body.description(), body.enabled(), body.contactEmail()));
    }

    @Operation(summary = "Delete a webhook endpoint with its delivery log")
    @Allowed(ApiRole.ADMIN)
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/{id}/delete")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable long id) {
        endpoints.delete(id);
    }

    @Operation(summary = "Rotate a webhook endpoint's secret (the previous one signs too during the overlap)")
    @Allowed(ApiRole.ADMIN)
    @Idempotent(value = Idempotent.Mode.IN_TRANSACTION, secret = "secret")
    @PostMapping("/{id}/rotate-secret")
    WithSecret rotate(@PathVariable long id) {
        return WithSecret.of(endpoints.rotate(id));
    }

    @Operation(summary = "An endpoint's delivery log: its messages, newest first, each with its attempts")
    @Allowed({ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/{id}/messages")
    Page<WebhookMessages.Message> messages(
            @PathVariable long id,
            @RequestParam(required = false) String state,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        WebhookMessages.State filter = state(state);
        return Page.read(
                cursor, limit, (before, n) -> messages.log(id, filter, before, n), WebhookMessages.Message::id);
    }

    @Operation(summary = "Send a message again, now, with the same webhook-id")
    @Allowed({ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/{id}/messages/{messageId}/resend")
    @ResponseStatus(HttpStatus.ACCEPTED)
    WebhookMessages.Message resend(@PathVariable long id, @PathVariable long messageId) {
        return messages.resend(id, messageId);
    }

    @Operation(summary = "Send every failing and dead message since a time again")
    @Allowed({ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/{id}/recover")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Recovered recover(@PathVariable long id, @RequestBody Recovery body) {
        if (body.since() == null) {
            throw KopekException.invalid("validation", "since is required");
        }
        return new Recovered(messages.recover(id, body.since()));
    }

    private static WebhookMessages.State state(String state) {
        if (state == null || state.isBlank()) {
            return null;
        }
        try {
            return WebhookMessages.State.of(state);
        } catch (IllegalArgumentException e) {
            throw KopekException.invalid(
                    "invalid-state", "state must be one of pending, failing, delivered, dead; not " + state);
        }
    }
}

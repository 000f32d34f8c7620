package io.kopek.notification;

import io.kopek.outbox.DomainEvent;
import io.kopek.outbox.EventType;

/**
 * A webhook endpoint was disabled by Kopek: it answered {@code 410 Gone}, or its deliveries failed for days. The mail
 * channel tells staff and the endpoint's contact.
 *
 * @param endpointId the endpoint
 * @param merchantId its merchant; absent for an endpoint of the installation
 * @param url where it pointed
 * @param reason why, readable ({@code the endpoint answered 410 Gone})
 * @param contactEmail whom the endpoint's owner asked to be told; absent when none
 */
@EventType(name = "webhook_endpoint.disabled", aggregate = "webhook_endpoint", aggregateId = "endpointId")
public record WebhookEndpointDisabled(long endpointId, Long merchantId, String url, String reason, String contactEmail)
        implements DomainEvent {}

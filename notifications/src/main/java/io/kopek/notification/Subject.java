package io.kopek.notification;

/**
 * Whom and what an event concerns, found when it is notified.
 *
 * @param merchantId the merchant whose object it is (its webhook endpoints hear of it); {@code null} for an event of
 *     the installation (a reconciliation, a registry file, a job), which only installation-wide endpoints and staff hear
 * @param customerId the customer to write to, when the event concerns one
 * @param orderingKey events with the same key reach an endpoint in the order they happened: the invoice for anything
 *     that belongs to one ({@code invoice:42}: its {@code issued} before its payment's {@code succeeded} before its
 *     {@code paid}), otherwise the aggregate ({@code reconciliation_run:7})
 * @param object the object's state when the event was notified, for receivers that need more than the payload;
 *     {@code null} when the payload says everything
 */
public record Subject(Long merchantId, Long customerId, String orderingKey, ObjectState object) {

    public Subject {
        if (orderingKey == null || orderingKey.isBlank()) {
            throw new IllegalArgumentException("a subject needs an ordering key");
        }
    }
}

package io.kopek.provider;

/**
 * What a verified callback announces. {@code eventKey} identifies the event for deduplication (the same
 * notification delivered twice has the same key); {@code payment} is the provider's current view of the
 * payment, as confirmed during verification.
 */
public record ProviderEvent(String eventKey, String type, ProviderPayment payment) {}

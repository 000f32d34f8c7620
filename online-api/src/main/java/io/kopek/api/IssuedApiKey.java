package io.kopek.api;

/** A new API key. {@code key} is shown this once; Kopek keeps only its hash. */
public record IssuedApiKey(long id, String key, ApiRole role, Long customerId, String name) {}

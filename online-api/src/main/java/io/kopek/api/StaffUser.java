package io.kopek.api;

import java.time.Instant;

/**
 * A person who signs in to the console, as the API shows them: never a password or its hash. {@code lockedUntil} is
 * set only while a lock-out lasts.
 */
public record StaffUser(
        long id,
        String login,
        String displayName,
        ApiRole role,
        Instant lockedUntil,
        boolean disabled,
        Instant createdAt,
        Instant lastSignInAt) {}

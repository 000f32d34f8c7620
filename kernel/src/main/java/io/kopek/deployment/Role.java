package io.kopek.deployment;

/**
 * What a Kopek process does. One image runs as any mix of roles, chosen by {@code kopek.roles}: the online
 * API, the batch jobs, and the scheduler that triggers those jobs.
 */
public enum Role {
    API,
    BATCH,
    SCHEDULER
}

package io.kopek.deployment;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a Kopek process does. One image runs as any mix of roles, chosen by {@code kopek.roles}: the online
 * API, the batch jobs, and the scheduler that triggers those jobs; or, alone, {@code migrate}: the database migrations
 * applied, then the process exits (a deployment's migration step, before processes that do not migrate start).
 */
public enum Role {
    API,
    BATCH,
    SCHEDULER,
    MIGRATE;

    /** What a process runs when {@code kopek.roles} names nothing: the whole platform (migrate is never implied). */
    public static Set<Role> platform() {
        return EnumSet.of(API, BATCH, SCHEDULER);
    }
}

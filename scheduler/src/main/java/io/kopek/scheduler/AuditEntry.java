package io.kopek.scheduler;

import java.time.Instant;
import java.util.Map;

/** One entry of the audit log: who ({@code actor}, with the role they acted in), when, what, and why. */
public record AuditEntry(
        long id,
        Instant at,
        String actor,
        String role,
        AuditAction action,
        String target,
        Map<String, String> details,
        String reason) {}

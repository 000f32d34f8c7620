package io.kopek.batch;

import io.kopek.outbox.DomainEvent;
import io.kopek.outbox.EventType;
import java.time.Instant;

/** What the batch runs announce, listed with their payloads in {@code docs/events.md}. */
public final class JobEvents {

    private JobEvents() {}

    /**
     * A job run (a Spring Batch job execution, {@code jobRunId} as {@code /api/v1/job-runs/{id}} shows it) ended
     * FAILED: by an error, or marked so after its worker died. {@code message} is the run's exit description (the
     * error, usually with its stack trace), at most 1,000 characters. Once per run; a restart that fails again is a
     * new run with its own event. A stopped run is not a failure and is not announced.
     */
    @EventType(name = "job_run.failed", aggregate = "job_run", aggregateId = "jobRunId")
    public record JobRunFailed(long jobRunId, String job, String exitCode, String message, Instant failedAt)
            implements DomainEvent {}
}

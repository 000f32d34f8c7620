package io.kopek.batch;

import java.time.Instant;

/** A run in a line: what a list of jobs shows of each job's last run. */
public record JobRunSummary(
        long id, String status, String exitCode, Instant createdAt, Instant startedAt, Instant endedAt, int progress) {

    static JobRunSummary of(JobRun run) {
        return new JobRunSummary(
                run.id(),
                run.status(),
                run.exitCode(),
                run.createdAt(),
                run.startedAt(),
                run.endedAt(),
                run.progress());
    }
}

package io.kopek.batch;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One run (a Spring Batch job execution) with its progress: {@code status} is Spring Batch's (STARTING, STARTED,
 * COMPLETED, FAILED, STOPPING, STOPPED, ABANDONED, ...), {@code exitCode} and {@code exitDescription} say how it
 * ended, and each step tells what it has read and written so far. {@code restartOf} is the run this one restarted,
 * if any; {@code summary} is what the job put in its execution context for people to read (counts, totals), kept
 * across restarts. {@code progress} (0..100) is the average of the job's steps' ({@link Progress}), 100 once the
 * run completed.
 */
public record JobRun(
        long id,
        String job,
        long instanceId,
        String status,
        String exitCode,
        String exitDescription,
        Map<String, String> parameters,
        Instant createdAt,
        Instant startedAt,
        Instant endedAt,
        Long restartOf,
        Map<String, Object> summary,
        List<Step> steps,
        int progress) {

    public boolean running() {
        return switch (status) {
            case "STARTING", "STARTED", "STOPPING" -> true;
            default -> false;
        };
    }

    /**
     * A step's progress: Spring Batch's counts ({@code read}: items taken, {@code written}: items done,
     * {@code filtered}: left for a later attempt, {@code skipped}: refused) and the step's own counters from its
     * execution context, kept across restarts; {@code durationMs} so far (or in all, once ended), {@code progress}
     * 0..100 ({@link Progress}), and {@code error}, the exit description of a step that failed.
     */
    public record Step(
            String name,
            String status,
            long read,
            long written,
            long filtered,
            long skipped,
            long commits,
            Instant startedAt,
            Instant endedAt,
            String exitDescription,
            Map<String, Long> counters,
            Long durationMs,
            int progress,
            String error) {}
}

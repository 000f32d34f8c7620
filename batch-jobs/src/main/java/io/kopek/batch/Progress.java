package io.kopek.batch;

import java.util.Collection;
import java.util.Map;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * How far a step has gone, 0..100. A step that knows how much it has to do puts {@link #TOTAL} in its execution
 * context when it starts (a file's lines, the receipts due); what it has done is {@link #DONE} when it keeps that
 * count itself, else Spring Batch's read count, both committed with each chunk or pass. A completed step is 100; a
 * step that has not said its total is 0 until it completes; one still going stays below 100 even when its count
 * reaches the total (the total was taken at its start, and work may have come in since). A run is the average of
 * its job's steps (those it has not reached count 0), so a two-step job half-way through its first step is at 25.
 */
public final class Progress {

    /** The execution context's key of what a step has to do in all, a long. */
    public static final String TOTAL = "progress.total";

    /** The execution context's key of what a step has done, a long; Spring Batch's read count when absent. */
    public static final String DONE = "progress.done";

    private Progress() {}

    /** Says what the step has to do: its progress is then its count against this. */
    public static void total(StepExecution step, long total) {
        step.getExecutionContext().putLong(TOTAL, Math.max(0, total));
    }

    static int of(StepExecution step) {
        if (step.getStatus() == BatchStatus.COMPLETED) {
            return 100;
        }
        ExecutionContext context = step.getExecutionContext();
        long total = context.getLong(TOTAL, 0);
        if (total <= 0) {
            return 0;
        }
        long done = context.containsKey(DONE) ? context.getLong(DONE) : step.getReadCount();
        return (int) Math.clamp(done * 100 / total, 0, 99);
    }

    /**
     * A run's progress: 100 when it completed, else the average over {@code stepNames} (the job's steps, or the ones
     * seen when the job is not known here) of each step's progress in {@code steps}, 0 for a step not reached.
     */
    static int ofRun(BatchStatus status, Collection<String> stepNames, Map<String, Integer> steps) {
        if (status == BatchStatus.COMPLETED) {
            return 100;
        }
        if (stepNames.isEmpty()) {
            return 0;
        }
        long sum = 0;
        for (String name : stepNames) {
            sum += steps.getOrDefault(name, 0);
        }
        return (int) Math.min(99, sum / stepNames.size());
    }
}

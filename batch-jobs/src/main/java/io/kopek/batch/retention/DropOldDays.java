package io.kopek.batch.retention;

import io.kopek.batch.Progress;
import io.kopek.partition.DayPartitions.Dropped;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * One owner's day partitions older than the horizon, dropped through the owner's service one per pass, oldest
 * first; the days an accountant still works on (an open discrepancy) are kept. After each pass the step's context is
 * committed with the horizon, what was dropped and the rows it held, so a run restarted after a crash keeps its
 * horizon, finishes a drop that stopped half way (the owner's drop does) and goes on; the job's context carries the
 * summary ({@code <what>.horizon}, {@code .partitions}, {@code .rows}, {@code .dropped}, {@code .held}).
 */
final class DropOldDays implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(DropOldDays.class);

    private static final String HORIZON = "horizon";
    private static final String PARTITIONS = "partitions";
    private static final String ROWS = "rows";
    private static final String DROPPED = "dropped";

    /** The owner's side: its days before a day, and the drop of a day's partition. */
    record Days(Function<LocalDate, List<LocalDate>> before, Function<LocalDate, Optional<Dropped>> drop) {}

    private final String what;
    private final Supplier<LocalDate> horizon;
    private final Days days;
    private final Function<LocalDate, List<LocalDate>> held;

    /**
     * @param what the summary's prefix and the retention property's name ({@code registryLines})
     * @param horizon the first day kept, asked once per run (a restart keeps the first execution's)
     * @param days the owner's days and drop
     * @param held the days before a day that stay whatever their age: those with open discrepancies
     */
    DropOldDays(String what, Supplier<LocalDate> horizon, Days days, Function<LocalDate, List<LocalDate>> held) {
        this.what = what;
        this.horizon = horizon;
        this.days = days;
        this.held = held;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        StepExecution step = contribution.getStepExecution();
        ExecutionContext context = step.getExecutionContext();
        if (!context.containsKey(HORIZON)) {
            context.putString(HORIZON, horizon.get().toString());
        }
        LocalDate horizon = LocalDate.parse(context.getString(HORIZON));
        List<LocalDate> old = days.before().apply(horizon);
        List<LocalDate> kept =
                held.apply(horizon).stream().filter(old::contains).toList();
        List<LocalDate> due = old.stream().filter(d -> !kept.contains(d)).toList();
        if (!context.containsKey(Progress.TOTAL)) {
            Progress.total(step, due.size());
        }
        if (!due.isEmpty()) {
            LocalDate day = due.getFirst();
            Optional<Dropped> dropped = days.drop().apply(day);
            dropped.ifPresent(d -> {
                log.info(
                        "partitionRetention: dropped {} ({} rows), {}'s partition of {}: before the horizon {}"
                                + " (kopek.retention.{})",
                        d.partition(),
                        d.rows(),
                        d.table(),
                        d.day(),
                        horizon,
                        what);
                context.putLong(PARTITIONS, context.getLong(PARTITIONS, 0) + 1);
                context.putLong(ROWS, context.getLong(ROWS, 0) + d.rows());
                String before = context.getString(DROPPED, "");
                context.putString(
                        DROPPED, (before.isEmpty() ? "" : before + ", ") + d.partition() + " (" + d.rows() + " rows)");
                contribution.incrementWriteCount(1);
            });
            context.putLong(Progress.DONE, context.getLong(Progress.DONE, 0) + 1);
        }
        if (!kept.isEmpty() && due.size() <= 1) {
            log.warn("partitionRetention: {} kept before the horizon {}: {} (open discrepancies)", what, horizon, kept);
        }
        ExecutionContext summary = step.getJobExecution().getExecutionContext();
        summary.putString(what + ".horizon", horizon.toString());
        summary.putLong(what + ".partitions", context.getLong(PARTITIONS, 0));
        summary.putLong(what + ".rows", context.getLong(ROWS, 0));
        summary.putString(what + ".dropped", context.getString(DROPPED, ""));
        summary.putString(
                what + ".held",
                String.join(", ", kept.stream().map(LocalDate::toString).toList()));
        return due.size() > 1 ? RepeatStatus.CONTINUABLE : RepeatStatus.FINISHED;
    }
}

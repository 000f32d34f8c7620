package io.kopek.batch;

import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.interceptor.DefaultTransactionAttribute;

/**
 * A step made of bounded passes of a service that commits its own work (claims rows, calls out, records the
 * outcome), repeated while {@link Pass#more()}. After each pass the step's counts and its execution context are
 * committed, so a run shows its progress as it goes, and a run restarted after a crash continues with the totals
 * it had: the context keeps {@code <name>} totals for each of the pass's four counts. A step that can tell cheaply
 * how much there is to do ({@link #withTotal}) reports its {@link Progress} against that, counted before its first
 * pass.
 */
public final class PassTasklet implements Tasklet {

    /**
     * What one pass did: items {@code read} (taken), {@code written} (done), {@code filtered} (left for a later
     * attempt) and {@code skipped} (refused for good); {@code more}: whether another pass may find work now.
     */
    public record Pass(long read, long written, long filtered, long skipped, boolean more) {}

    private final Supplier<Pass> pass;
    private final String[] names;
    private final LongSupplier total;

    /**
     * {@code read}, {@code written}, {@code filtered}, {@code skipped}: what the step calls these items, the keys of
     * its totals (null: no total).
     */
    public PassTasklet(Supplier<Pass> pass, String read, String written, String filtered, String skipped) {
        this(pass, new String[] {read, written, filtered, skipped}, null);
    }

    private PassTasklet(Supplier<Pass> pass, String[] names, LongSupplier total) {
        this.pass = pass;
        this.names = names;
        this.total = total;
    }

    /**
     * The same step, whose progress is what its passes have read against {@code total}, asked once when the step
     * starts (not again on a restart, which goes on counting against the total it had).
     */
    public PassTasklet withTotal(LongSupplier total) {
        return new PassTasklet(pass, names, total);
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        if (total != null
                && !contribution.getStepExecution().getExecutionContext().containsKey(Progress.TOTAL)) {
            Progress.total(contribution.getStepExecution(), total.getAsLong());
        }
        Pass p = pass.get();
        for (long i = 0; i < p.read(); i++) {
            contribution.incrementReadCount();
        }
        contribution.incrementWriteCount(p.written());
        contribution.incrementFilterCount(p.filtered());
        contribution.incrementWriteSkipCount(p.skipped());
        ExecutionContext context = contribution.getStepExecution().getExecutionContext();
        long[] counts = {p.read(), p.written(), p.filtered(), p.skipped()};
        if (total != null) {
            // kept in the context, not Spring Batch's read count, which a restart begins again from 0
            context.putLong(Progress.DONE, context.getLong(Progress.DONE, 0) + p.read());
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i] == null) {
                continue;
            }
            context.putLong(names[i], context.getLong(names[i], 0) + counts[i]);
        }
        return p.more() ? RepeatStatus.CONTINUABLE : RepeatStatus.FINISHED;
    }

    /**
     * The step: each pass runs outside any transaction of the step's, because the services it calls commit their
     * own (a claim must be committed before the calls it leases for); Spring Batch commits the step's progress
     * after each pass in a transaction of its own.
     */
    public static Step step(
            String name, JobRepository repository, PlatformTransactionManager transactions, PassTasklet tasklet) {
        return new StepBuilder(name, repository)
                .tasklet(tasklet, transactions)
                .transactionAttribute(new DefaultTransactionAttribute(TransactionDefinition.PROPAGATION_NOT_SUPPORTED))
                .build();
    }
}

package io.kopek.batch.settlement;

import io.kopek.batch.PartitionOwners;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeoutException;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.partition.StepExecutionSplitter;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/**
 * The manager's {@code MessageChannelPartitionHandler} with what its timeout leaves settled: the partitions no worker
 * took, and those whose worker died, are marked FAILED, so that a restart runs them again (Spring Batch refuses to
 * restart a partition it still sees running). A partition a live worker still runs is left to end on its own.
 */
final class RemotePartitionHandler implements PartitionHandler {

    private final PartitionHandler delegate;
    private final JobRepository repository;
    private final PartitionOwners owners;
    private final Duration timeout;

    RemotePartitionHandler(
            PartitionHandler delegate, JobRepository repository, PartitionOwners owners, Duration timeout) {
        this.delegate = delegate;
        this.repository = repository;
        this.owners = owners;
        this.timeout = timeout;
    }

    @Override
    public Collection<StepExecution> handle(StepExecutionSplitter splitter, StepExecution manager) throws Exception {
        try {
            return delegate.handle(splitter, manager);
        } catch (TimeoutException e) {
            JobExecution job = repository.getJobExecution(manager.getJobExecutionId());
            int left = 0;
            for (StepExecution partition : job.getStepExecutions()) {
                if (partition.getStepName().startsWith(ReconciliationJob.WORKER_STEP + ":")
                        && partition.getStatus().isRunning()) {
                    String why = partition.getStatus() == BatchStatus.STARTING
                            ? "no batch worker took this partition within kopek.reconciliation.remote.timeout ("
                                    + timeout + ")"
                            : PartitionOwners.diedMidPartition(partition);
                    owners.failIfAbandoned(partition.getId(), why);
                    left++;
                }
            }
            throw new TimeoutException("the partitions did not all end within kopek.reconciliation.remote.timeout ("
                    + timeout + "); " + left + " were still waiting or running");
        }
    }
}

package io.kopek.batch;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Which batch worker runs each remote partition, and the partitions whose worker died. A worker records itself in the
 * partition's execution context ({@link #OWNER}) before it starts the partition, so a partition STARTED always names
 * its worker; the worker is dead when its advisory lock is free ({@link BatchWorker}), as for whole runs
 * ({@link ExecutionOwners}). A dead worker's partition is marked FAILED, which the manager polling the job repository
 * sees: its step fails instead of waiting out its timeout, and a restart runs that partition again. Done by the worker
 * that gets the dead one's request redelivered by RabbitMQ, and by {@link Recovery} (a worker's start-up, the
 * {@code batchRecovery} schedule).
 *
 * <p>No table: the owner lives in Spring Batch's own step execution context, so that it survives with the partition
 * and goes with it when the run is deleted.
 */
@Component
@ConditionalOnRole(Role.BATCH)
public class PartitionOwners {

    /**
     * The step execution context's key of the batch worker that runs a remote partition, an int; shown with the
     * partition's step in {@code GET /api/v1/job-runs/{id}}.
     */
    public static final String OWNER = "worker";

    private static final Logger log = LoggerFactory.getLogger(PartitionOwners.class);

    private final JdbcClient jdbc;
    private final BatchWorker worker;
    private final ExecutionOwners owners;
    private final JobRepository repository;

    PartitionOwners(JdbcClient jdbc, BatchWorker worker, ExecutionOwners owners, JobRepository repository) {
        this.jdbc = jdbc;
        this.worker = worker;
        this.owners = owners;
        this.repository = repository;
    }

    /** Records this worker as the one that runs the partition, before it starts it. */
    public void claim(StepExecution partition) {
        partition.getExecutionContext().putInt(OWNER, worker.id());
        repository.updateExecutionContext(partition);
    }

    /**
     * Whether the partition is running on a live worker: STARTED (or STOPPING) and the owner it names holds its lock.
     * A partition not yet STARTED has no owner yet: the one its context may name was copied from the attempt before a
     * restart.
     */
    public boolean ownerAlive(StepExecution partition) {
        if (partition.getStatus() != BatchStatus.STARTED && partition.getStatus() != BatchStatus.STOPPING) {
            return false;
        }
        if (!partition.getExecutionContext().containsKey(OWNER)) {
            return false;
        }
        int owner = partition.getExecutionContext().getInt(OWNER);
        if (owner == worker.id()) {
            return true;
        }
        worker.ensureAlive();
        return owners.alive(owner);
    }

    /**
     * Marks the partition FAILED with {@code why} if it is still running and no live worker runs it (its worker died,
     * or none took it yet); answers whether it did. A partition its owner ended meanwhile is left as it ended.
     */
    public boolean failIfAbandoned(long stepExecutionId, String why) {
        for (int attempt = 0; attempt < 3; attempt++) {
            StepExecution partition = repository.getStepExecution(stepExecutionId);
            if (partition == null || !partition.getStatus().isRunning() || ownerAlive(partition)) {
                return false;
            }
            partition.setStatus(BatchStatus.FAILED);
            partition.setExitStatus(ExitStatus.FAILED.addExitDescription(why));
            partition.setEndTime(LocalDateTime.now());
            try {
                repository.update(partition);
            } catch (OptimisticLockingFailureException endedMeanwhile) {
                continue; // read it again: its worker ended it after all, or someone else marked it
            }
            log.warn("partition {} ({}) marked FAILED: {}", stepExecutionId, partition.getStepName(), why);
            return true;
        }
        return false;
    }

    /**
     * Marks FAILED every partition still running whose worker died ({@link Recovery}); returns their step execution
     * ids. Only partitions a worker claimed are judged: the others' runs are recovered whole.
     */
    List<Long> failAbandoned() {
        List<Long> failed = new ArrayList<>();
        for (long id : jdbc.sql("select step_execution_id from batch_step_execution"
                        + " where status in ('STARTED', 'STOPPING') and end_time is null order by step_execution_id")
                .query(Long.class)
                .list()) {
            StepExecution partition = repository.getStepExecution(id);
            if (partition != null
                    && partition.getExecutionContext().containsKey(OWNER)
                    && failIfAbandoned(id, diedMidPartition(partition))) {
                failed.add(id);
            }
        }
        return failed;
    }

    /** The exit description of a partition whose worker died while it ran it. */
    public static String diedMidPartition(StepExecution partition) {
        String owner = partition.getExecutionContext().containsKey(OWNER)
                ? "batch worker " + partition.getExecutionContext().getInt(OWNER)
                : "no batch worker recorded";
        return "its worker died mid-partition (" + owner + "; e.g. kill -9); restart the run to run this partition"
                + " again";
    }
}

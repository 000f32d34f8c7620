package io.kopek.batch;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.schedule.ScheduledWork;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Runs left behind by a dead worker are marked FAILED with Spring Batch's {@link JobOperator#recover}, so that they
 * can be restarted ({@link Jobs#restart}, {@code POST /api/v1/job-runs/{id}/restart}) and continue from their last
 * committed step. Done when a batch worker starts, on the schedule {@code batchRecovery} (every minute), and before a
 * restart asked for a run that still looks running. A worker is dead when its advisory lock is free
 * ({@link BatchWorker}), which PostgreSQL ensures the moment its process ends. So are the remote partitions a dead
 * worker was running for a live manager ({@link PartitionOwners}).
 */
@Component
@ConditionalOnRole(Role.BATCH)
class Recovery {

    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    private final ExecutionOwners owners;
    private final BatchWorker worker;
    private final JobRepository repository;
    private final JobOperator operator;
    private final BatchProperties properties;
    private final FailedRuns failedRuns;
    private final PartitionOwners partitions;

    Recovery(
            ExecutionOwners owners,
            BatchWorker worker,
            JobRepository repository,
            JobOperator operator,
            BatchProperties properties,
            FailedRuns failedRuns,
            PartitionOwners partitions) {
        this.owners = owners;
        this.worker = worker;
        this.repository = repository;
        this.operator = operator;
        this.properties = properties;
        this.failedRuns = failedRuns;
        this.partitions = partitions;
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStartUp() {
        recoverOrphans();
    }

    /**
     * Misfire RUN_ONCE_NOW: one pass finds every orphan, however long no scheduler ran. Any batch process may run it:
     * it recovers the runs of every dead worker, not its own.
     */
    @Bean
    ScheduledWork batchRecoverySchedule() {
        return new ScheduledWork(
                "batchRecovery",
                "Marks FAILED the job runs left running by a dead batch worker, so that they can be restarted",
                "0 * * * * ?",
                ScheduledWork.Misfire.RUN_ONCE_NOW,
                this::recoverOrphans);
    }

    /** Marks every run of a dead worker failed, each announced as {@code job_run.failed}; returns their ids. */
    synchronized List<Long> recoverOrphans() {
        worker.ensureAlive();
        // A dead worker's remote partition first: its manager, alive, sees it FAILED and fails its step.
        partitions.failAbandoned();
        List<Long> recovered = new ArrayList<>();
        for (long id : owners.orphans(properties.ownerlessAfter())) {
            JobExecution execution = repository.getJobExecution(id);
            if (execution == null || !execution.getStatus().isRunning()) {
                continue;
            }
            String left = execution.getStatus().name();
            execution.setExitStatus(ExitStatus.FAILED.addExitDescription(
                    "recovered: the worker that ran it died before it ended (e.g. kill -9); restart it to continue"));
            operator.recover(execution);
            // Recovery ends the run without its listeners: the announcement of the failure is made here.
            failedRuns.announce(repository.getJobExecution(id));
            log.warn(
                    "job run {} ({}) was left {} by a dead worker; marked FAILED so that it can be restarted",
                    id,
                    execution.getJobInstance().getJobName(),
                    left);
            recovered.add(id);
        }
        return recovered;
    }

    /** Whether this run, still marked running, belongs to a dead worker (and was recovered now). */
    boolean recoverIfOrphan(long executionId) {
        return recoverOrphans().contains(executionId);
    }
}

package io.kopek.batch.settlement;

import io.kopek.batch.JobParameterRules;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.reconciliation.Reconciliation;
import io.kopek.reconciliation.ReconciliationProperties;
import io.kopek.reconciliation.ReconciliationRun;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code reconciliation} ({@code provider}, {@code businessDate}): the provider's day matched against the ledger in
 * partitions ({@link Reconciliation}, set-based). {@code openRun} opens the reconciliation run with
 * {@code kopek.reconciliation.partitions} partitions and keeps its id in the job's context; {@code matchPartitions}
 * runs the worker step {@code matchPartition} once per partition, on local threads or on the batch workers over
 * RabbitMQ ({@link ReconciliationPartitionHandlers}); {@code closeRun} does what crosses partitions (the tally, the fees,
 * the discrepancies) and ends the run. Each partition and the close are a transaction of their own: a restart skips
 * the opened run and the partitions that completed, and runs only the rest. The run's summary: the reconciliation
 * run's id and its counts per result.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.BATCH)
@EnableConfigurationProperties(ReconciliationJobProperties.class)
public class ReconciliationJob {

    public static final String NAME = "reconciliation";

    /** The worker step: one partition of a run. Its executions are named {@code matchPartition:partition<n>}. */
    public static final String WORKER_STEP = "matchPartition";

    /** The job's execution context's key of the reconciliation run, a long. */
    static final String RUN_ID = "reconciliationRunId";

    /** A partition's execution context: its run (a long) and its number (an int, from 0). */
    static final String RUN = "run";

    static final String PARTITION = "partition";

    @Bean
    Job dayReconciliation(
            JobRepository repository,
            PlatformTransactionManager transactions,
            Reconciliation reconciliation,
            ReconciliationProperties properties,
            @Qualifier(WORKER_STEP) Step matchPartition,
            @Qualifier("reconciliationPartitions") PartitionHandler partitions,
            @Qualifier("reconciliationPartitioner") Partitioner partitioner) {
        return new JobBuilder(NAME, repository)
                .validator(JobParameterRules.exactly(
                        Map.of("provider", JobParameterRules.Kind.TEXT, "businessDate", JobParameterRules.Kind.DATE)))
                .start(new StepBuilder("openRun", repository)
                        .tasklet(openRun(reconciliation, properties), transactions)
                        .build())
                .next(new StepBuilder("matchPartitions", repository)
                        .partitioner(WORKER_STEP, partitioner)
                        .step(matchPartition)
                        .partitionHandler(partitions)
                        .build())
                .next(new StepBuilder("closeRun", repository)
                        .tasklet(closeRun(reconciliation), transactions)
                        .build())
                .build();
    }

    /** The worker step, a bean so that remote workers run the same step the local handler would. */
    @Bean(WORKER_STEP)
    Step matchPartition(
            JobRepository repository, PlatformTransactionManager transactions, Reconciliation reconciliation) {
        return new StepBuilder(WORKER_STEP, repository)
                .tasklet(
                        (contribution, context) -> {
                            ExecutionContext partition =
                                    contribution.getStepExecution().getExecutionContext();
                            reconciliation.matchPartition(partition.getLong(RUN), partition.getInt(PARTITION));
                            return RepeatStatus.FINISHED;
                        },
                        transactions)
                .build();
    }

    /**
     * The run's partitions, {@code partition0} to {@code partition<n-1>}, as many as the run was opened with (not as
     * the configuration says now: a restart after a change of {@code kopek.reconciliation.partitions} cuts the day as
     * its run did).
     */
    @Bean
    @StepScope
    Partitioner reconciliationPartitioner(
            @Value("#{jobExecutionContext['" + RUN_ID + "']}") Long run, Reconciliation reconciliation) {
        return gridSize -> {
            int count = reconciliation.partitions(run);
            Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                ExecutionContext partition = new ExecutionContext();
                partition.putLong(RUN, run);
                partition.putInt(PARTITION, i);
                partitions.put(PARTITION + i, partition);
            }
            return partitions;
        };
    }

    /** Opens the run; on a restart this step is COMPLETED and skipped, so the run keeps its id and its partitions. */
    private static Tasklet openRun(Reconciliation reconciliation, ReconciliationProperties properties) {
        return (contribution, context) -> {
            StepExecution step = contribution.getStepExecution();
            var parameters = step.getJobParameters();
            long run = reconciliation.open(
                    parameters.getString("provider"),
                    LocalDate.parse(parameters.getString("businessDate")),
                    properties.partitions());
            step.getJobExecution().getExecutionContext().putLong(RUN_ID, run);
            return RepeatStatus.FINISHED;
        };
    }

    private static Tasklet closeRun(Reconciliation reconciliation) {
        return (contribution, context) -> {
            StepExecution step = contribution.getStepExecution();
            var summary = step.getJobExecution().getExecutionContext();
            ReconciliationRun run = reconciliation.close(summary.getLong(RUN_ID));
            run.summary().results().forEach((result, totals) -> summary.putLong(result, totals.count()));
            contribution.incrementWriteCount(run.registryLines() + run.ledgerOperations());
            return RepeatStatus.FINISHED;
        };
    }
}

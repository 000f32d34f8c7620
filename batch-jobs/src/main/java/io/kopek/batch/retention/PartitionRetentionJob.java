package io.kopek.batch.retention;

import io.kopek.batch.JobParameterRules;
import io.kopek.batch.Jobs;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.ingest.RegistryLinePartitions;
import io.kopek.reconciliation.Discrepancies;
import io.kopek.reconciliation.ResultPartitions;
import io.kopek.schedule.ScheduledWork;
import io.kopek.schedule.ScheduledWork.Misfire;
import java.time.Duration;
import java.util.Map;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.interceptor.DefaultTransactionAttribute;

/**
 * {@code partitionRetention} (no parameters; daily on its schedule): the business days past their retention
 * ({@code kopek.retention.*}, {@link RetentionProperties}) leave the day-partitioned tables, a day's partition detached
 * concurrently and dropped whole, through each owner's service: {@code dropRegistryLines} (the intake's
 * {@link RegistryLinePartitions}), then {@code dropReconciliationResults} (the reconciliation's
 * {@link ResultPartitions}).
 *
 * <p>What stays whatever its age: a day with a discrepancy still open, its lines and its results alike (they are the
 * evidence an accountant works from; the summary says which days were held). What stays after a drop: the registry
 * files with their totals and rejected lines, the runs with their summaries, the discrepancies with their comments.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.BATCH)
@EnableConfigurationProperties(RetentionProperties.class)
public class PartitionRetentionJob {

    public static final String NAME = "partitionRetention";

    @Bean
    Job partitionRetention(
            JobRepository repository,
            PlatformTransactionManager transactions,
            RetentionProperties retention,
            BusinessCalendar calendar,
            RegistryLinePartitions lines,
            ResultPartitions results,
            Discrepancies discrepancies) {
        DropOldDays registryLines = new DropOldDays(
                "registryLines",
                () -> retention.horizon(calendar.today(), retention.registryLines()),
                new DropOldDays.Days(lines::daysBefore, lines::drop),
                discrepancies::openDaysBefore);
        DropOldDays reconciliationResults = new DropOldDays(
                "reconciliationResults",
                () -> retention.horizon(calendar.today(), retention.reconciliationResults()),
                new DropOldDays.Days(results::daysBefore, results::drop),
                discrepancies::openDaysBefore);
        return new JobBuilder(NAME, repository)
                .validator(JobParameterRules.none())
                .start(step("dropRegistryLines", registryLines, repository, transactions))
                .next(step("dropReconciliationResults", reconciliationResults, repository, transactions))
                .build();
    }

    /**
     * Each pass outside a transaction of the step's: a detach runs concurrently, which PostgreSQL refuses inside a
     * transaction; the step's context is committed after each pass in one of its own.
     */
    private static Step step(
            String name, DropOldDays tasklet, JobRepository repository, PlatformTransactionManager transactions) {
        return new StepBuilder(name, repository)
                .tasklet(tasklet, transactions)
                .transactionAttribute(new DefaultTransactionAttribute(TransactionDefinition.PROPAGATION_NOT_SUPPORTED))
                .build();
    }

    /**
     * Misfire RUN_ONCE_NOW: a late run drops what the missed ones would have. At 04:10, before the daily chain
     * (06:00) imports and reconciles: a detach waits for the queries reading the table, fewest at night.
     */
    @Bean
    ScheduledWork partitionRetentionSchedule(Jobs jobs) {
        return new ScheduledWork(
                NAME,
                "Detaches and drops the day partitions of registry lines and reconciliation results past their"
                        + " retention (kopek.retention), daily (a partitionRetention run)",
                "0 10 4 * * ?",
                Misfire.RUN_ONCE_NOW,
                () -> jobs.run(NAME, Map.of(), Duration.ofHours(6)));
    }
}

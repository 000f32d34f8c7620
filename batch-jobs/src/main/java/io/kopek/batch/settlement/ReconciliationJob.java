package io.kopek.batch.settlement;

import io.kopek.batch.JobParameterRules;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.reconciliation.Reconciliation;
import io.kopek.reconciliation.ReconciliationRun;
import java.time.LocalDate;
import java.util.Map;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code reconciliation} ({@code provider}, {@code businessDate}): the provider's day matched against the ledger
 * ({@link Reconciliation}, set-based, one transaction of its own). A crash leaves nothing of it; a restart, or a
 * second run of the day, gives the same result and posts nothing twice. The run's summary: the reconciliation
 * run's id and its counts per result.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.BATCH)
public class ReconciliationJob {

    public static final String NAME = "reconciliation";

    @Bean
    Job dayReconciliation(
            JobRepository repository, PlatformTransactionManager transactions, Reconciliation reconciliation) {
        return new JobBuilder(NAME, repository)
                .validator(JobParameterRules.exactly(
                        Map.of("provider", JobParameterRules.Kind.TEXT, "businessDate", JobParameterRules.Kind.DATE)))
                .start(new StepBuilder("matchTheDay", repository)
                        .tasklet(matchTheDay(reconciliation), transactions)
                        .build())
                .build();
    }

    @SuppressWarnings("unchecked")
    private static Tasklet matchTheDay(Reconciliation reconciliation) {
        return (contribution, context) -> {
            StepExecution step = contribution.getStepExecution();
            var parameters = step.getJobParameters();
            ReconciliationRun run = reconciliation.run(
                    parameters.getString("provider"), LocalDate.parse(parameters.getString("businessDate")));
            var summary = step.getJobExecution().getExecutionContext();
            summary.putLong("reconciliationRunId", run.id());
            run.summary().results().forEach((result, totals) -> summary.putLong(result, totals.count()));
            contribution.incrementWriteCount(run.registryLines() + run.ledgerOperations());
            return RepeatStatus.FINISHED;
        };
    }
}

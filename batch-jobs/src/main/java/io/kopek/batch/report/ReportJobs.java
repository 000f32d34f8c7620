package io.kopek.batch.report;

import io.kopek.batch.JobParameterRules;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.report.ReportGenerator;
import io.kopek.report.ReportRetention;
import io.kopek.report.ReportRun;
import java.util.Map;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code reportRun} ({@code runId}): a report run's file generated ({@link ReportGenerator}: one snapshot, its own
 * transactions; a restart starts the file over with the run's watermark, so it gives the same figures). The job run's
 * summary: the report run's id and rows. {@code reportRetention}: files past their retention deleted, runs expired.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.BATCH)
@EnableConfigurationProperties(ReportJobsProperties.class)
public class ReportJobs {

    public static final String RUN = "reportRun";
    public static final String RETENTION = "reportRetention";

    @Bean
    Job reportRunJob(JobRepository repository, PlatformTransactionManager transactions, ReportGenerator generator) {
        return new JobBuilder(RUN, repository)
                .validator(JobParameterRules.exactly(Map.of("runId", JobParameterRules.Kind.LONG)))
                .start(new StepBuilder("generateFile", repository)
                        .tasklet(
                                (contribution, context) -> {
                                    StepExecution step = contribution.getStepExecution();
                                    long runId = Long.parseLong(
                                            step.getJobParameters().getString("runId"));
                                    ReportRun run = generator.generate(runId);
                                    var summary = step.getJobExecution().getExecutionContext();
                                    summary.putLong("reportRunId", run.id());
                                    summary.putLong("rows", run.rowCount());
                                    contribution.incrementWriteCount(run.rowCount());
                                    return RepeatStatus.FINISHED;
                                },
                                transactions)
                        .build())
                .build();
    }

    @Bean
    Job reportRetentionJob(
            JobRepository repository, PlatformTransactionManager transactions, ReportRetention retention) {
        return new JobBuilder(RETENTION, repository)
                .validator(JobParameterRules.none())
                .start(new StepBuilder("expireFiles", repository)
                        .tasklet(
                                (contribution, context) -> {
                                    int expired = retention.sweep();
                                    contribution
                                            .getStepExecution()
                                            .getJobExecution()
                                            .getExecutionContext()
                                            .putLong("expired", expired);
                                    contribution.incrementWriteCount(expired);
                                    return RepeatStatus.FINISHED;
                                },
                                transactions)
                        .build())
                .build();
    }
}

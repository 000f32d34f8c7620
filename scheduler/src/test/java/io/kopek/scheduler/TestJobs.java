package io.kopek.scheduler;

import io.kopek.batch.JobParameterRules;
import io.kopek.batch.Progress;
import java.util.Map;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Jobs made for the job-control tests: {@code slowCount} counts to {@code passes} in small passes of
 * {@code pauseMs} each (a long run to follow, stop and restart: each pass is a boundary where a stop takes effect,
 * and the count goes on after a restart), and {@code breaksDown}, whose second step fails.
 */
@TestConfiguration(proxyBeanMethods = false)
class TestJobs {

    static final String SLOW = "slowCount";
    static final String BREAKS = "breaksDown";
    static final String FAILURE = "the registry is unreadable";

    @Bean
    Job slowCount(JobRepository repository, PlatformTransactionManager transactions) {
        return new JobBuilder(SLOW, repository)
                .validator(JobParameterRules.exactly(
                        Map.of("passes", JobParameterRules.Kind.LONG, "pauseMs", JobParameterRules.Kind.LONG)))
                .start(new StepBuilder("countSlowly", repository)
                        .tasklet(
                                (contribution, chunk) -> {
                                    StepExecution step = contribution.getStepExecution();
                                    long passes = Long.parseLong(
                                            step.getJobParameters().getString("passes"));
                                    long pause = Long.parseLong(
                                            step.getJobParameters().getString("pauseMs"));
                                    ExecutionContext context = step.getExecutionContext();
                                    Progress.total(step, passes);
                                    Thread.sleep(pause);
                                    long counted = context.getLong(Progress.DONE, 0) + 1;
                                    context.putLong(Progress.DONE, counted);
                                    contribution.incrementWriteCount(1);
                                    return counted >= passes ? RepeatStatus.FINISHED : RepeatStatus.CONTINUABLE;
                                },
                                transactions)
                        .build())
                .build();
    }

    @Bean
    Job breaksDown(JobRepository repository, PlatformTransactionManager transactions) {
        return new JobBuilder(BREAKS, repository)
                .validator(JobParameterRules.none())
                .start(new StepBuilder("prepare", repository)
                        .tasklet((contribution, chunk) -> RepeatStatus.FINISHED, transactions)
                        .build())
                .next(new StepBuilder("readRegistry", repository)
                        .tasklet(
                                (contribution, chunk) -> {
                                    throw new IllegalStateException(FAILURE);
                                },
                                transactions)
                        .build())
                .build();
    }
}

package io.kopek.batch.fiscal;

import io.kopek.batch.JobParameterRules;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.fiscal.UnfiscalizedCheck;
import java.util.List;
import org.springframework.batch.core.ExitStatus;
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
 * {@code unfiscalizedCheck}, daily: lists the payments and refunds still without a done receipt after the grace
 * period ({@link UnfiscalizedCheck}, which raises the {@code fiscal.unfiscalized} alert). The run completes with exit
 * code {@code UNFISCALIZED} and their count when there are any, {@code COMPLETED} on a healthy day.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.BATCH)
public class UnfiscalizedCheckJob {

    public static final String NAME = "unfiscalizedCheck";

    @Bean
    Job dailyUnfiscalizedCheck(
            JobRepository repository, PlatformTransactionManager transactions, UnfiscalizedCheck check) {
        return new JobBuilder(NAME, repository)
                .validator(JobParameterRules.none())
                .start(new StepBuilder("listUnfiscalized", repository)
                        .tasklet(listUnfiscalized(check), transactions)
                        .build())
                .build();
    }

    /** The count goes to the step's and the run's summary; the first few event keys to the exit description. */
    private static Tasklet listUnfiscalized(UnfiscalizedCheck check) {
        return (contribution, context) -> {
            List<UnfiscalizedCheck.Unfiscalized> missing = check.run();
            StepExecution step = contribution.getStepExecution();
            step.getExecutionContext().putLong("unfiscalized", missing.size());
            step.getJobExecution().getExecutionContext().putLong("unfiscalized", missing.size());
            if (!missing.isEmpty()) {
                contribution.setExitStatus(new ExitStatus(
                        "UNFISCALIZED",
                        missing.size() + " payments or refunds without a done receipt: "
                                + String.join(
                                        ", ",
                                        missing.stream()
                                                .limit(5)
                                                .map(UnfiscalizedCheck.Unfiscalized::eventKey)
                                                .toList())));
            }
            return RepeatStatus.FINISHED;
        };
    }
}

package io.kopek.batch.fiscal;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.fiscal.UnfiscalizedCheck;
import java.util.List;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
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
                .start(new StepBuilder("listUnfiscalized", repository)
                        .tasklet(
                                (contribution, context) -> {
                                    List<UnfiscalizedCheck.Unfiscalized> missing = check.run();
                                    contribution
                                            .getStepExecution()
                                            .getExecutionContext()
                                            .putLong("unfiscalized", missing.size());
                                    if (!missing.isEmpty()) {
                                        contribution.setExitStatus(new ExitStatus(
                                                "UNFISCALIZED",
                                                missing.size() + " payments or refunds without a done receipt, e.g. "
                                                        + missing.getFirst().eventKey()));
                                    }
                                    return RepeatStatus.FINISHED;
                                },
                                transactions)
                        .build())
                .build();
    }
}

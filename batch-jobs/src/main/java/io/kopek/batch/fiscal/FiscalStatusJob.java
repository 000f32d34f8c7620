package io.kopek.batch.fiscal;

import io.kopek.batch.JobParameterRules;
import io.kopek.batch.PassTasklet;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.fiscal.FiscalStatusPoller;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code fiscalStatus}: reads the status of the receipts the operator accepted ({@code readStatuses}); a done one
 * gets its fiscal attributes, a failed one stops with an alert, one still waiting is read again later. Claims like
 * the pusher, so it is safe to run twice at once; a restarted run reads what is left.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.BATCH)
public class FiscalStatusJob {

    public static final String NAME = "fiscalStatus";

    @Bean
    Job fiscalStatus(
            JobRepository repository,
            PlatformTransactionManager transactions,
            FiscalStatusPoller poller,
            FiscalJobsProperties properties,
            JdbcClient jdbc) {
        PassTasklet read = new PassTasklet(
                        () -> FiscalPushJob.pass(poller.poll(properties.passSize())),
                        "taken",
                        "done",
                        "waiting",
                        "failed")
                .withTotal(() -> FiscalPushJob.receiptsIn(jdbc, "waiting"));
        return new JobBuilder(NAME, repository)
                .validator(JobParameterRules.none())
                .start(PassTasklet.step("readStatuses", repository, transactions, read))
                .build();
    }
}

package io.kopek.batch.fiscal;

import io.kopek.batch.JobParameterRules;
import io.kopek.batch.PassTasklet;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.fiscal.FiscalEventConsumer;
import io.kopek.fiscal.FiscalPass;
import io.kopek.fiscal.FiscalProperties;
import io.kopek.fiscal.FiscalPusher;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code fiscalPush}: turns new outbox events into receipts ({@code receiptsFromEvents}), then sends the pending
 * receipts to the fiscal operator ({@code pushReceipts}) in passes of {@code kopek.batch.fiscal.pass-size}, each
 * pipelined with {@code kopek.fiscal.concurrency} requests in flight. Safe to run twice at once: the consumer's
 * position is a locked row, and the pusher claims receipts with {@code FOR UPDATE SKIP LOCKED} and a lease. After a
 * crash, the restarted run sends what is left; receipts the dead run had claimed are taken again when their lease
 * ends, resent with the same {@code external_id}, and the operator answers with the receipt it registered first.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.BATCH)
@EnableConfigurationProperties(FiscalJobsProperties.class)
public class FiscalPushJob {

    public static final String NAME = "fiscalPush";

    @Bean
    Job fiscalPush(
            JobRepository repository,
            PlatformTransactionManager transactions,
            FiscalEventConsumer consumer,
            FiscalPusher pusher,
            FiscalProperties fiscal,
            FiscalJobsProperties properties,
            JdbcClient jdbc) {
        PassTasklet receipts = new PassTasklet(
                () -> {
                    FiscalEventConsumer.Pass pass = consumer.poll();
                    return new PassTasklet.Pass(
                            pass.events(),
                            pass.receipts(),
                            pass.events() - pass.receipts(),
                            0,
                            pass.events() >= fiscal.outboxBatch());
                },
                "events",
                "receipts",
                "withoutReceipt",
                null);
        PassTasklet push = new PassTasklet(
                        () -> pass(pusher.push(properties.passSize())), "taken", "accepted", "later", "refused")
                .withTotal(() -> receiptsIn(jdbc, "pending"));
        return new JobBuilder(NAME, repository)
                .validator(JobParameterRules.none())
                .start(PassTasklet.step("receiptsFromEvents", repository, transactions, receipts))
                .next(PassTasklet.step("pushReceipts", repository, transactions, push))
                .build();
    }

    /** How many receipts are in a state: a step's total, cheap by the receipts' partial index on the due states. */
    static long receiptsIn(JdbcClient jdbc, String state) {
        return jdbc.sql("select count(*) from fiscal_receipt where state = ?")
                .param(state)
                .query(Long.class)
                .single();
    }

    /** Another pass while this one moved some receipts on: when all it took must wait, the next run retries. */
    static PassTasklet.Pass pass(FiscalPass p) {
        return new PassTasklet.Pass(
                p.taken(), p.succeeded(), p.later(), p.stopped(), p.taken() > 0 && p.succeeded() + p.stopped() > 0);
    }
}

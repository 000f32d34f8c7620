package io.kopek.batch;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.outbox.Outbox;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Announces every job run that ends FAILED as {@code job_run.failed}, in a transaction of its own: registered on
 * every job of a batch worker, and called by {@link Recovery} for the runs of a dead worker, which end without a
 * listener. A run ends once, so each run is announced once. The announcement commits just after the run's end is
 * recorded (Spring Batch 6 calls {@code afterJob} after it stores the end): a reader that sees a run FAILED may find
 * its announcement a moment later, and a worker killed in between leaves that run unannounced.
 */
class FailedRuns implements JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(FailedRuns.class);

    /** Stack traces make exit descriptions long; a notification needs the start of it. */
    static final int MESSAGE_LENGTH = 1_000;

    private final Outbox outbox;
    private final TransactionTemplate transactions;

    FailedRuns(Outbox outbox, PlatformTransactionManager transactions) {
        this.outbox = outbox;
        this.transactions = new TransactionTemplate(transactions);
        this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Override
    public void afterJob(JobExecution execution) {
        if (execution.getStatus() != BatchStatus.FAILED) {
            return;
        }
        try {
            announce(execution);
        } catch (RuntimeException e) {
            // Spring Batch 6 has recorded the run's end before calling this (and records it again after): a failed
            // announcement is logged, and must not turn into a failure of the listener's caller.
            log.error("job run {} failed, and announcing it failed too", execution.getId(), e);
        }
    }

    /** Publishes the run's {@code job_run.failed}. */
    void announce(JobExecution execution) {
        String description = execution.getExitStatus().getExitDescription();
        LocalDateTime end = execution.getEndTime();
        // Spring Batch keeps its times in the JVM's zone, as Jobs reads them.
        Instant failedAt =
                end == null ? Instant.now() : end.atZone(ZoneId.systemDefault()).toInstant();
        JobEvents.JobRunFailed event = new JobEvents.JobRunFailed(
                execution.getId(),
                execution.getJobInstance().getJobName(),
                execution.getExitStatus().getExitCode(),
                shortened(description == null ? "" : description),
                failedAt);
        transactions.executeWithoutResult(s -> outbox.publish(event));
    }

    /** The first {@link #MESSAGE_LENGTH} characters, never half a surrogate pair. */
    static String shortened(String text) {
        if (text.length() <= MESSAGE_LENGTH) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MESSAGE_LENGTH - 1)) ? MESSAGE_LENGTH - 1 : MESSAGE_LENGTH;
        return text.substring(0, end);
    }

    /** Every job of a batch worker announces its failed runs. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnRole(Role.BATCH)
    static class Registration {

        @Bean
        FailedRuns failedRuns(Outbox outbox, PlatformTransactionManager transactions) {
            return new FailedRuns(outbox, transactions);
        }

        @Bean
        static BeanPostProcessor failedRunsOnEveryJob(ObjectProvider<FailedRuns> failedRuns) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if (bean instanceof AbstractJob job) {
                        job.registerJobExecutionListener(failedRuns.getObject());
                    }
                    return bean;
                }
            };
        }
    }
}

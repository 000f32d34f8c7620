package io.kopek.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kopek.batch.JobEvents.JobRunFailed;
import io.kopek.outbox.Outbox;
import io.kopek.outbox.OutboxEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Every run that ends FAILED is announced as {@code job_run.failed} with the start of its exit description, once per
 * run (a restart that fails again is a run of its own); a completed run is not. Spring Batch 6 records a run's end
 * before its listeners run, so a run is seen FAILED a moment before its announcement commits: the tests wait for it.
 */
@Import(FailedRunEventsTest.TestJobs.class)
class FailedRunEventsTest extends BatchTest {

    static final String FAILING = "testAlwaysFailing";
    static final String COMPLETING = "testAlwaysCompleting";
    static final String FAILURE = "the test job's step refuses to work";

    @Autowired
    Outbox outbox;

    @Test
    void aRunThatFailsIsAnnouncedOnceWithItsMessage() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        JobRun failed = run(FAILING);

        assertThat(failed.status()).isEqualTo("FAILED");
        List<OutboxEvent> events = announcedOnce(failed.id());
        assertThat(events.getFirst().aggregateType()).isEqualTo("job_run");
        JobRunFailed event = Outbox.payload(events.getFirst(), JobRunFailed.class);
        assertThat(event.jobRunId()).isEqualTo(failed.id());
        assertThat(event.job()).isEqualTo(FAILING);
        assertThat(event.exitCode()).isEqualTo("FAILED");
        assertThat(event.message()).contains(FAILURE).hasSizeLessThanOrEqualTo(FailedRuns.MESSAGE_LENGTH);
        assertThat(event.failedAt()).isBetween(before, Instant.now());
    }

    @Test
    void aRestartThatFailsAgainIsAnnouncedAsANewRun() {
        JobRun failed = run(FAILING);

        JobRun again = jobs.awaitEnd(jobs.restart(failed.id()).id(), RUN_TIMEOUT);

        assertThat(again.status()).isEqualTo("FAILED");
        assertThat(again.id()).isNotEqualTo(failed.id());
        assertThat(announcedOnce(failed.id())).hasSize(1);
        assertThat(announcedOnce(again.id())).hasSize(1);
    }

    @Test
    void aCompletedRunIsNotAnnounced() {
        JobRun completed = run(COMPLETING);

        assertThat(completed.status()).isEqualTo("COMPLETED");
        assertThat(failedEventsOf(completed.id())).isEmpty();
    }

    @Test
    void aLongMessageIsCutAtAThousandCharactersNeverInsideASurrogatePair() {
        String emoji = "\uD83D\uDCB8";
        String text = "x".repeat(FailedRuns.MESSAGE_LENGTH - 1) + emoji + "tail";

        assertThat(FailedRuns.shortened(text)).isEqualTo("x".repeat(FailedRuns.MESSAGE_LENGTH - 1));
        assertThat(FailedRuns.shortened("y".repeat(1_500))).hasSize(FailedRuns.MESSAGE_LENGTH);
        assertThat(FailedRuns.shortened("short")).isEqualTo("short");
    }

    /** The run's announcements, waited for until there is one: there must be exactly one. */
    private List<OutboxEvent> announcedOnce(long runId) {
        await().atMost(RUN_TIMEOUT).until(() -> !failedEventsOf(runId).isEmpty());
        List<OutboxEvent> events = failedEventsOf(runId);
        assertThat(events).as("announcements of run %d", runId).hasSize(1);
        return events;
    }

    private List<OutboxEvent> failedEventsOf(long runId) {
        return jdbc
                .sql("select id from outbox_event where type = 'job_run.failed' and aggregate_id = ? order by id")
                .param(String.valueOf(runId))
                .query(Long.class)
                .list()
                .stream()
                .map(id -> outbox.after(id - 1, 1).getFirst())
                .toList();
    }

    /** Two jobs of this test only: one whose step always throws, one that always completes. */
    @TestConfiguration(proxyBeanMethods = false)
    static class TestJobs {

        @Bean
        Job testAlwaysFailing(JobRepository repository, PlatformTransactionManager transactions) {
            return new JobBuilder(FAILING, repository)
                    .start(new StepBuilder("refuse", repository)
                            .tasklet(
                                    (contribution, context) -> {
                                        throw new IllegalStateException(FAILURE);
                                    },
                                    transactions)
                            .build())
                    .build();
        }

        @Bean
        Job testAlwaysCompleting(JobRepository repository, PlatformTransactionManager transactions) {
            return new JobBuilder(COMPLETING, repository)
                    .start(new StepBuilder("work", repository)
                            .tasklet((contribution, context) -> RepeatStatus.FINISHED, transactions)
                            .build())
                    .build();
        }
    }
}

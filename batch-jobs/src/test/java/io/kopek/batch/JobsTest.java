package io.kopek.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kopek.batch.fiscal.FiscalPushJob;
import io.kopek.batch.fiscal.FiscalStatusJob;
import io.kopek.errors.KopekException;
import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;

/** Starting, watching, recovering and restarting runs, over the job repository in PostgreSQL. */
class JobsTest extends BatchTest {

    @Autowired
    JobRepository repository;

    @Autowired
    Recovery recovery;

    @Autowired
    BatchWorker worker;

    @Test
    void aRunShowsWhatEachStepReadAndWrote() {
        long customer = customerWithTopUps(30);

        JobRun run = run(FiscalPushJob.NAME);

        assertThat(run.status()).isEqualTo("COMPLETED");
        assertThat(run.parameters()).containsKey("run.id");
        assertThat(run.steps()).extracting(JobRun.Step::name).containsExactly("receiptsFromEvents", "pushReceipts");
        JobRun.Step events = run.steps().get(0);
        assertThat(events.read()).isGreaterThanOrEqualTo(30);
        assertThat(events.counters()).containsKeys("events", "receipts");
        JobRun.Step push = run.steps().get(1);
        assertThat(push.read()).isGreaterThanOrEqualTo(30);
        assertThat(push.written()).isGreaterThanOrEqualTo(30);
        assertThat(push.counters().get("accepted")).isEqualTo(push.written());
        assertThat(push.counters().get(Progress.TOTAL))
                .as("the receipts due when the step began: its progress's total")
                .isGreaterThanOrEqualTo(30);
        assertThat(push.progress()).isEqualTo(100);
        assertThat(push.durationMs()).isNotNull();
        assertThat(run.progress()).isEqualTo(100);
        assertThat(jobs.runs(FiscalPushJob.NAME, 5)).extracting(JobRun::id).contains(run.id());
        assertThat(receiptsOf(customer))
                .hasSize(30)
                .allSatisfy(r -> assertThat(r.operatorUuid()).isNotNull());
    }

    @Test
    void startAnswersAtOnceWhileTheRunGoesOn() {
        JobRun started = jobs.start(FiscalStatusJob.NAME, Map.of());

        assertThat(started.id()).isPositive();
        assertThat(jobs.awaitEnd(started.id(), RUN_TIMEOUT).status()).isEqualTo("COMPLETED");
    }

    @Test
    void anUnknownJobOrRunIsNotFound() {
        assertThatThrownBy(() -> jobs.start("noSuchJob", Map.of()))
                .isInstanceOfSatisfying(
                        KopekException.class, e -> assertThat(e.kind()).isEqualTo(KopekException.Kind.NOT_FOUND));
        assertThatThrownBy(() -> jobs.get(Long.MAX_VALUE)).isInstanceOf(KopekException.class);
    }

    @Test
    void aCompletedRunIsNotRestarted() {
        JobRun run = run(FiscalStatusJob.NAME);

        assertThatThrownBy(() -> jobs.restart(run.id()))
                .isInstanceOfSatisfying(
                        KopekException.class, e -> assertThat(e.type()).isEqualTo("job-run-not-restartable"));
    }

    @Test
    void aRunLeftRunningByADeadWorkerIsMarkedFailedAndRestartsWhereItStopped() {
        int deadWorker = jdbc.sql("select nextval('batch_worker_seq')::int")
                .query(Integer.class)
                .single();
        JobExecution abandoned = runningExecution(FiscalStatusJob.NAME, "readStatuses", deadWorker);

        assertThat(recovery.recoverOrphans()).contains(abandoned.getId());

        JobRun failed = jobs.get(abandoned.getId());
        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.exitDescription()).contains("recovered");
        assertThat(failed.steps().getFirst().status()).isEqualTo("FAILED");
        assertThat(failed.steps().getFirst().counters()).containsEntry("taken", 7L);
        assertThat(jdbc.sql("select payload->>'message' from outbox_event where type = 'job_run.failed'"
                                + " and aggregate_id = ?")
                        .param(String.valueOf(abandoned.getId()))
                        .query(String.class)
                        .list())
                .as("a recovered run is announced as failed, once")
                .singleElement()
                .asString()
                .contains("recovered");

        JobRun restarted = jobs.awaitEnd(jobs.restart(abandoned.getId()).id(), RUN_TIMEOUT);
        assertThat(restarted.status()).isEqualTo("COMPLETED");
        assertThat(restarted.restartOf()).isEqualTo(abandoned.getId());
        assertThat(restarted.instanceId()).isEqualTo(failed.instanceId());
        assertThat(restarted.steps().getFirst().counters())
                .as("the totals of the failed step go on")
                .containsEntry("taken", 7L + restarted.steps().getFirst().read());
        assertThatThrownBy(() -> jobs.restart(abandoned.getId()))
                .isInstanceOfSatisfying(
                        KopekException.class, e -> assertThat(e.type()).isEqualTo("job-run-not-restartable"));
    }

    @Test
    void aRunOfALiveWorkerIsLeftAlone() {
        JobExecution running = runningExecution(FiscalStatusJob.NAME, "readStatuses", worker.id());

        assertThat(recovery.recoverOrphans()).doesNotContain(running.getId());
        assertThatThrownBy(() -> jobs.restart(running.getId()))
                .isInstanceOfSatisfying(
                        KopekException.class, e -> assertThat(e.type()).isEqualTo("job-run-running"));
        assertThat(repository.getJobExecution(running.getId()).getStatus()).isEqualTo(BatchStatus.STARTED);

        running.setStatus(BatchStatus.FAILED); // tidy up: this run never had a thread
        running.setEndTime(LocalDateTime.now());
        repository.update(running);
    }

    @Test
    void aRemotePartitionOfADeadWorkerIsMarkedFailedWhileItsManagerLivesAndALiveWorkersIsLeftAlone() {
        int deadWorker = jdbc.sql("select nextval('batch_worker_seq')::int")
                .query(Integer.class)
                .single();
        JobExecution managed = runningExecution("reconciliation", "matchPartitions", worker.id());
        StepExecution orphan = partition(managed, "matchPartition:partition0", deadWorker);
        StepExecution running = partition(managed, "matchPartition:partition1", worker.id());

        assertThat(recovery.recoverOrphans()).as("the manager lives").doesNotContain(managed.getId());

        StepExecution failed = repository.getStepExecution(orphan.getId());
        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(failed.getEndTime()).isNotNull();
        assertThat(failed.getExitStatus().getExitDescription())
                .contains("its worker died mid-partition (batch worker " + deadWorker);
        assertThat(repository.getStepExecution(running.getId()).getStatus()).isEqualTo(BatchStatus.STARTED);
        assertThat(repository.getJobExecution(managed.getId()).getStatus()).isEqualTo(BatchStatus.STARTED);

        for (StepExecution left : repository.getJobExecution(managed.getId()).getStepExecutions()) {
            left.setStatus(BatchStatus.FAILED); // tidy up: these never had a thread
            left.setEndTime(LocalDateTime.now());
            repository.update(left);
        }
        managed.setStatus(BatchStatus.FAILED);
        managed.setEndTime(LocalDateTime.now());
        repository.update(managed);
    }

    /** A remote partition of the run, STARTED by the worker, as the worker records it. */
    private StepExecution partition(JobExecution execution, String name, int workerId) {
        StepExecution partition = repository.createStepExecution(name, execution);
        partition.setStatus(BatchStatus.STARTED);
        partition.setStartTime(LocalDateTime.now());
        repository.update(partition);
        partition.getExecutionContext().putInt(PartitionOwners.OWNER, workerId);
        repository.updateExecutionContext(partition);
        return partition;
    }

    /** What a worker leaves in the repository when it is killed in the middle of a step. */
    private JobExecution runningExecution(String job, String step, int workerId) {
        JobParameters parameters = new JobParametersBuilder()
                .addString("run.id", java.util.UUID.randomUUID().toString())
                .toJobParameters();
        JobInstance instance = repository.createJobInstance(job, parameters);
        JobExecution execution = repository.createJobExecution(instance, parameters, new ExecutionContext());
        execution.setStatus(BatchStatus.STARTED);
        execution.setStartTime(LocalDateTime.now());
        repository.update(execution);
        StepExecution stepExecution = repository.createStepExecution(step, execution);
        stepExecution.setStatus(BatchStatus.STARTED);
        stepExecution.setStartTime(LocalDateTime.now());
        stepExecution.setReadCount(7);
        repository.update(stepExecution);
        stepExecution.getExecutionContext().putLong("taken", 7);
        repository.updateExecutionContext(stepExecution);
        jdbc.sql("insert into batch_execution_owner (job_execution_id, worker_id, host, pid) values (?, ?, 'test', 1)")
                .params(execution.getId(), workerId)
                .update();
        return execution;
    }
}

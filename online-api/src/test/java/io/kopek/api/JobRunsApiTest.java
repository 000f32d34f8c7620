package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Starting, following and restarting batch runs through the API. */
class JobRunsApiTest extends FiscalApiTest {

    @Autowired
    JobRepository repository;

    @Autowired
    JdbcClient jdbc;

    @Test
    void anOperatorStartsARunAndFollowsItsProgress() {
        ApiClient operator = as(ApiRole.OPERATOR, null);

        var started = operator.post("/api/v1/jobs/fiscalPush/runs", "{}");

        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        assertThat(started.body().path("job").asString()).isEqualTo("fiscalPush");
        JsonNode run = awaitEnd(operator, started.id());
        assertThat(run.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(run.path("steps").size()).isEqualTo(2);
        assertThat(run.path("steps").get(1).path("name").asString()).isEqualTo("pushReceipts");
        assertThat(run.path("steps").get(1).has("read")).isTrue();
        assertThat(run.path("parameters").has("run.id")).isTrue();

        var runs = as(ApiRole.FINANCE, null).get("/api/v1/jobs/fiscalPush/runs?limit=5");
        assertThat(runs.status()).isEqualTo(200);
        assertThat(runs.body().get(0).path("id").asLong()).isEqualTo(started.id());
        assertThat(operator.get("/api/v1/jobs").body().toString())
                .contains("fiscalPush", "fiscalStatus", "unfiscalizedCheck");
    }

    @Test
    void aStagedFilesPathMayHoldDigitsThatPassTheLuhnCheckButNoOtherParameterMayHoldACardNumber() {
        ApiClient operator = as(ApiRole.OPERATOR, null);

        // A temporary folder's random name can be any digits: the path is Kopek's own, not a card number.
        var path = operator.post(
                "/api/v1/jobs/registryImport/runs",
                "{\"parameters\":{\"provider\":\"acme\",\"file\":\"/tmp/staging4276380012345679/a.csv\"}}");
        var card = operator.post(
                "/api/v1/jobs/registryImport/runs",
                "{\"parameters\":{\"provider\":\"4276 3800 1234 5679\",\"file\":\"/tmp/a.csv\"}}");

        assertThat(path.status()).as(path.toString()).isEqualTo(202);
        assertThat(card.status()).isEqualTo(422);
        assertThat(card.problemType()).isEqualTo("card-number");
        assertThat(card.body().path("detail").asString()).contains("parameters.provider");
    }

    @Test
    void unknownOrMalformedParametersAreRefusedNamingThemAndStartNothing() {
        ApiClient operator = as(ApiRole.OPERATOR, null);
        int before =
                operator.get("/api/v1/jobs/fiscalPush/runs?limit=200").body().size();

        var junk = operator.post("/api/v1/jobs/fiscalPush/runs", "{\"parameters\":{\"junk\":\"x\"}}");
        var notADate = operator.post(
                "/api/v1/jobs/reconciliation/runs",
                "{\"parameters\":{\"provider\":\"acme\",\"businessDate\":\"yesterday\"}}");
        var missing = operator.post("/api/v1/jobs/reconciliation/runs", "{\"parameters\":{\"provider\":\"acme\"}}");

        assertThat(junk.status()).isEqualTo(400);
        assertThat(junk.problemType()).isEqualTo("invalid-job-parameters");
        assertThat(junk.body().path("detail").asString()).contains("junk");
        assertThat(notADate.status()).isEqualTo(400);
        assertThat(notADate.body().path("detail").asString())
                .contains("businessDate")
                .contains("yesterday");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().path("detail").asString()).contains("businessDate");
        assertThat(operator.get("/api/v1/jobs/fiscalPush/runs?limit=200").body().size())
                .isEqualTo(before);
    }

    @Test
    void aRunLeftByADeadWorkerIsRestartedAndAFinishedOneIsNot() {
        long abandoned = runLeftByADeadWorker("fiscalStatus", "readStatuses");

        var restarted = admin.post("/api/v1/job-runs/" + abandoned + "/restart", "");

        assertThat(restarted.status()).as(restarted.toString()).isEqualTo(202);
        JsonNode run = awaitEnd(admin, restarted.id());
        assertThat(run.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(run.path("restart_of").asLong()).isEqualTo(abandoned);
        assertThat(admin.get("/api/v1/job-runs/" + abandoned)
                        .body()
                        .path("status")
                        .asString())
                .isEqualTo("FAILED");
        var again = admin.post("/api/v1/job-runs/" + restarted.id() + "/restart", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.problemType()).isEqualTo("job-run-not-restartable");
    }

    @Test
    void unknownJobsAndRunsAreNotFoundAndTheOlderJobEndpointsStillWork() {
        assertThat(admin.post("/api/v1/jobs/noSuchJob/runs", "{}").status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/job-runs/999999999").status()).isEqualTo(404);
        assertThat(admin.post("/api/v1/jobs/hold-expiry", "{}").status()).isEqualTo(200);
        assertThat(admin.post("/api/v1/jobs/overdue-invoices", "{}").status()).isEqualTo(200);
        assertThat(admin.post("/api/v1/jobs/card-payment-check", "{}").status()).isEqualTo(200);
    }

    /** A run as a worker killed in the middle of its step leaves it: STARTED, owned by a worker that is gone. */
    private long runLeftByADeadWorker(String job, String step) {
        int deadWorker = jdbc.sql("select nextval('batch_worker_seq')::int")
                .query(Integer.class)
                .single();
        JobParameters parameters = new JobParametersBuilder()
                .addString("run.id", UUID.randomUUID().toString())
                .toJobParameters();
        JobInstance instance = repository.createJobInstance(job, parameters);
        JobExecution execution = repository.createJobExecution(instance, parameters, new ExecutionContext());
        execution.setStatus(BatchStatus.STARTED);
        execution.setStartTime(LocalDateTime.now());
        repository.update(execution);
        var stepExecution = repository.createStepExecution(step, execution);
        stepExecution.setStatus(BatchStatus.STARTED);
        stepExecution.setStartTime(LocalDateTime.now());
        repository.update(stepExecution);
        jdbc.sql("insert into batch_execution_owner (job_execution_id, worker_id, host, pid) values (?, ?, 'gone', 1)")
                .params(execution.getId(), deadWorker)
                .update();
        return execution.getId();
    }
}

package io.kopek.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.api.ApiRole;
import io.kopek.batch.JobRun;
import io.kopek.batch.Jobs;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
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

/** Starting, following, stopping and restarting batch runs through the API, each action on the audit log. */
class JobRunsApiTest extends JobControlTest {

    @Autowired
    JobRepository repository;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AuditLog audit;

    @Autowired
    Jobs jobs;

    @Test
    void anOperatorStartsARunWithParametersAndAReasonAndTheLogSaysWhoAndWhy() {
        Http operator = as(ApiRole.OPERATOR);

        var started =
                operator.post("/api/v1/jobs/" + TestJobs.SLOW + "/runs", slow(3, 10, "checking the night's counts"));

        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        assertThat(started.body().path("job").asString()).isEqualTo(TestJobs.SLOW);
        JsonNode run = awaitEnd(operator, started.id());
        assertThat(run.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(run.path("parameters").path("passes").asString()).isEqualTo("3");
        assertThat(run.path("parameters").has("run.id")).isTrue();
        assertThat(run.path("progress").asInt()).isEqualTo(100);
        JsonNode step = run.path("steps").get(0);
        assertThat(step.path("name").asString()).isEqualTo("countSlowly");
        assertThat(step.path("progress").asInt()).isEqualTo(100);
        assertThat(step.path("written").asLong()).isEqualTo(3);
        assertThat(step.path("duration_ms").asLong()).isGreaterThanOrEqualTo(30);
        assertThat(step.path("error").isNull()).isTrue();
        assertThat(audit.list(0, 20, AuditAction.JOB_TRIGGERED, null, null))
                .filteredOn(e -> e.target().equals(TestJobs.SLOW) && "checking the night's counts".equals(e.reason()))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.actor()).isEqualTo("key:test operator");
                    assertThat(e.role()).isEqualTo("operator");
                    assertThat(e.details()).containsEntry("passes", "3").containsEntry("pauseMs", "10");
                });
    }

    @Test
    void aRepeatedRequestStartsNoSecondRun() {
        Http operator = as(ApiRole.OPERATOR);
        String key = UUID.randomUUID().toString();

        var first = operator.post("/api/v1/jobs/" + TestJobs.SLOW + "/runs", slow(2, 10, null), key);
        var again = operator.post("/api/v1/jobs/" + TestJobs.SLOW + "/runs", slow(2, 10, null), key);

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.id()).isEqualTo(first.id());
        // a repeat that arrives while the first has not answered yet meets the run the first started
        AtomicInteger audited = new AtomicInteger();
        Map<String, String> parameters = Map.of("passes", "2", "pauseMs", "10");
        JobRun one = jobs.start(TestJobs.SLOW, parameters, key + "-direct", audited::incrementAndGet);
        JobRun two = jobs.start(TestJobs.SLOW, parameters, key + "-direct", audited::incrementAndGet);
        assertThat(two.id()).isEqualTo(one.id());
        assertThat(audited).as("audited once, for the run started").hasValue(1);
        assertThat(jobs.start(TestJobs.SLOW, parameters, key + "-other", () -> {})
                        .id())
                .isNotEqualTo(one.id());
    }

    @Test
    void theJobsSayWhatParametersTheyTakeAndHowTheirLastRunWent() {
        Http finance = as(ApiRole.FINANCE);
        long last = as(ApiRole.OPERATOR)
                .post("/api/v1/jobs/" + TestJobs.SLOW + "/runs", slow(1, 1, null))
                .id();
        awaitEnd(finance, last);

        var list = finance.get("/api/v1/jobs");

        assertThat(list.status()).isEqualTo(200);
        Map<String, JsonNode> byName = new java.util.HashMap<>();
        list.body().forEach(j -> byName.put(j.path("name").asString(), j));
        assertThat(byName).containsKeys("reconciliation", "registryImport", "fiscalPush", TestJobs.SLOW);
        assertThat(byName.get("reconciliation").path("parameters").toString())
                .isEqualTo("[{\"name\":\"businessDate\",\"kind\":\"date\",\"required\":true},"
                        + "{\"name\":\"provider\",\"kind\":\"text\",\"required\":true}]");
        assertThat(byName.get("registryImport").path("parameters").findValuesAsString("kind"))
                .containsExactly("path", "text");
        assertThat(byName.get("reportRun")
                        .path("parameters")
                        .get(0)
                        .path("kind")
                        .asString())
                .isEqualTo("long");
        assertThat(byName.get("fiscalPush").path("parameters").size()).isZero();
        JsonNode lastRun = byName.get(TestJobs.SLOW).path("last_run");
        assertThat(lastRun.path("id").asLong()).isGreaterThanOrEqualTo(last);
        assertThat(lastRun.path("status").asString()).isNotBlank();
    }

    @Test
    void theHistoryIsFilteredByJobStatusAndDayAndPagedNewestFirst() {
        Http operator = as(ApiRole.OPERATOR);
        List<Long> counted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            counted.add(awaitEnd(
                            operator,
                            operator.post("/api/v1/jobs/" + TestJobs.SLOW + "/runs", slow(1, 1, null))
                                    .id())
                    .path("id")
                    .asLong());
        }
        long broken = awaitEnd(
                        operator,
                        operator.post("/api/v1/jobs/" + TestJobs.BREAKS + "/runs", "{}")
                                .id())
                .path("id")
                .asLong();
        LocalDate today = LocalDate.now(ZoneId.of("Europe/Moscow"));

        var failed = operator.get("/api/v1/job-runs?status=failed&job=" + TestJobs.BREAKS);
        var ofToday = operator.get("/api/v1/job-runs?job=" + TestJobs.SLOW + "&from=" + today + "&to=" + today);
        var ofYesterday = operator.get("/api/v1/job-runs?job=" + TestJobs.SLOW + "&to=" + today.minusDays(1));
        var page1 = operator.get("/api/v1/job-runs?job=" + TestJobs.SLOW + "&limit=2");
        var page2 = operator.get("/api/v1/job-runs?job=" + TestJobs.SLOW + "&limit=2&cursor="
                + page1.body().path("next_cursor").asString());

        assertThat(failed.status()).isEqualTo(200);
        assertThat(failed.body().path("data")).isNotEmpty().allSatisfy(r -> {
            assertThat(r.path("status").asString()).isEqualTo("FAILED");
            assertThat(r.path("job").asString()).isEqualTo(TestJobs.BREAKS);
        });
        assertThat(ids(failed)).contains(broken);
        assertThat(ids(ofToday)).containsAll(counted).doesNotContain(broken);
        assertThat(ids(ofYesterday)).doesNotContainAnyElementsOf(counted);
        assertThat(ids(page1)).hasSize(2).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(ids(page2))
                .isNotEmpty()
                .allSatisfy(id -> assertThat(id).isLessThan(ids(page1).get(1)));
        assertThat(ids(page1)).startsWith(counted.getLast());
        var badStatus = operator.get("/api/v1/job-runs?status=SLEEPING");
        assertThat(badStatus.status()).isEqualTo(400);
        assertThat(operator.get("/api/v1/job-runs?from=" + today + "&to=" + today.minusDays(1))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void aFailedStepShowsItsErrorAndTheRunHowFarItGot() {
        Http operator = as(ApiRole.OPERATOR);

        JsonNode run = awaitEnd(
                operator,
                operator.post("/api/v1/jobs/" + TestJobs.BREAKS + "/runs", "{}").id());

        assertThat(run.path("status").asString()).isEqualTo("FAILED");
        assertThat(run.path("progress").asInt()).as("one of two steps done").isEqualTo(50);
        JsonNode prepare = run.path("steps").get(0);
        JsonNode read = run.path("steps").get(1);
        assertThat(prepare.path("progress").asInt()).isEqualTo(100);
        assertThat(prepare.path("error").isNull()).isTrue();
        assertThat(read.path("status").asString()).isEqualTo("FAILED");
        assertThat(read.path("progress").asInt()).isZero();
        assertThat(read.path("error").asString()).contains(TestJobs.FAILURE).doesNotContain("\n");
        assertThat(read.path("duration_ms").isNumber()).isTrue();
    }

    @Test
    void aLongRunIsStoppedAtItsNextPassAndARestartCompletesIt() {
        Http operator = as(ApiRole.OPERATOR);
        long id = operator.post("/api/v1/jobs/" + TestJobs.SLOW + "/runs", slow(400, 20, null))
                .id();
        JsonNode going;
        do {
            pause(50);
            going = operator.get("/api/v1/job-runs/" + id).body();
        } while (going.path("progress").asInt() < 1);
        assertThat(going.path("progress").asInt()).isBetween(1, 99);
        assertThat(going.path("steps").get(0).path("progress").asInt()).isBetween(1, 99);

        var stop = operator.post("/api/v1/job-runs/" + id + "/stop", "{\"reason\":\"the provider asked us to wait\"}");

        assertThat(stop.status()).as(stop.toString()).isEqualTo(202);
        assertThat(stop.body().path("status").asString()).isIn("STOPPING", "STOPPED");
        JsonNode stopped = awaitEnd(operator, id);
        assertThat(stopped.path("status").asString()).isEqualTo("STOPPED");
        long countedBeforeStop = stopped.path("steps").get(0).path("written").asLong();
        assertThat(countedBeforeStop).isBetween(1L, 399L);
        assertThat(operator.post("/api/v1/job-runs/" + id + "/stop", "{}").problemType())
                .isEqualTo("job-run-not-running");

        var restart = operator.post("/api/v1/job-runs/" + id + "/restart", "{\"reason\":\"provider is back\"}");

        assertThat(restart.status()).as(restart.toString()).isEqualTo(202);
        JsonNode completed = awaitEnd(operator, restart.id());
        assertThat(completed.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(completed.path("restart_of").asLong()).isEqualTo(id);
        assertThat(completed.path("progress").asInt()).isEqualTo(100);
        assertThat(completed.path("steps").get(0).path("written").asLong())
                .as("the restart counts only what was left")
                .isEqualTo(400 - countedBeforeStop);
        assertThat(audit.list(0, 50, null, null, null))
                .filteredOn(e -> String.valueOf(id).equals(e.details().get("run_id")))
                .extracting(AuditEntry::action, AuditEntry::reason)
                .contains(
                        org.assertj.core.groups.Tuple.tuple(AuditAction.JOB_STOPPED, "the provider asked us to wait"),
                        org.assertj.core.groups.Tuple.tuple(AuditAction.JOB_RESTARTED, "provider is back"));
    }

    @Test
    void aStagedFilesPathMayHoldDigitsThatPassTheLuhnCheckButNoOtherParameterMayHoldACardNumber() {
        Http operator = as(ApiRole.OPERATOR);

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
    void unknownOrMalformedParametersAreRefusedNamingThemAndStartAndLogNothing() {
        Http operator = as(ApiRole.OPERATOR);
        int before = runsOf(operator, TestJobs.SLOW) + runsOf(operator, "reconciliation");
        int logged = audit.list(0, 100, AuditAction.JOB_TRIGGERED, null, null).size();

        var junk = operator.post(
                "/api/v1/jobs/" + TestJobs.SLOW + "/runs",
                "{\"parameters\":{\"passes\":\"1\",\"pauseMs\":\"1\",\"junk\":\"x\"}}");
        var notANumber = operator.post(
                "/api/v1/jobs/" + TestJobs.SLOW + "/runs",
                slow(1, 1, null).replace("\"1\",\"pauseMs", "\"one\",\"pauseMs"));
        var notADate = operator.post(
                "/api/v1/jobs/reconciliation/runs",
                "{\"parameters\":{\"provider\":\"acme\",\"businessDate\":\"yesterday\"}}");
        var missing = operator.post("/api/v1/jobs/reconciliation/runs", "{\"parameters\":{\"provider\":\"acme\"}}");

        assertThat(junk.status()).isEqualTo(400);
        assertThat(junk.problemType()).isEqualTo("invalid-job-parameters");
        assertThat(junk.body().path("detail").asString()).contains("junk");
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(notANumber.body().path("detail").asString()).contains("passes", "one");
        assertThat(notADate.status()).isEqualTo(400);
        assertThat(notADate.body().path("detail").asString())
                .contains("businessDate")
                .contains("yesterday");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().path("detail").asString()).contains("businessDate");
        assertThat(runsOf(operator, TestJobs.SLOW) + runsOf(operator, "reconciliation"))
                .isEqualTo(before);
        assertThat(audit.list(0, 100, AuditAction.JOB_TRIGGERED, null, null)).hasSize(logged);
    }

    @Test
    void aRunLeftByADeadWorkerIsRecoveredWhenStoppedAndRestartedAndAFinishedOneIsNot() {
        Http admin = as(ApiRole.ADMIN);
        long abandoned = runLeftByADeadWorker(TestJobs.SLOW, "countSlowly");
        long other = runLeftByADeadWorker(TestJobs.SLOW, "countSlowly");

        var stopped = admin.post("/api/v1/job-runs/" + other + "/stop", "{}");
        var restarted = admin.post("/api/v1/job-runs/" + abandoned + "/restart", "");

        assertThat(stopped.status()).as(stopped.toString()).isEqualTo(202);
        assertThat(stopped.body().path("status").asString()).isEqualTo("FAILED");
        assertThat(stopped.body().path("exit_description").asString()).contains("recovered");
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
    void unknownJobsAndRunsAreNotFound() {
        Http admin = as(ApiRole.ADMIN);

        assertThat(admin.post("/api/v1/jobs/noSuchJob/runs", "{}").status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/job-runs/999999999").status()).isEqualTo(404);
        assertThat(admin.post("/api/v1/job-runs/999999999/stop", "{}").status()).isEqualTo(404);
        assertThat(admin.post("/api/v1/job-runs/999999999/restart", "{}").status())
                .isEqualTo(404);
    }

    @Test
    void customersGetNothingOfItSignedOutCallersAreAskedForAKeyAndFinanceOnlyReads() {
        Http customer = as(ApiRole.CUSTOMER);
        Http finance = as(ApiRole.FINANCE);
        Http nobody = withoutKey();
        List<String> reads =
                List.of("/api/v1/jobs", "/api/v1/job-runs", "/api/v1/job-runs/1", "/api/v1/job-runs/events");
        List<String> actions = List.of(
                "/api/v1/jobs/" + TestJobs.SLOW + "/runs", "/api/v1/job-runs/1/stop", "/api/v1/job-runs/1/restart");

        for (String path : reads) {
            assertThat(customer.get(path).status()).as(path).isEqualTo(403);
            assertThat(nobody.get(path).status()).as(path).isEqualTo(401);
        }
        for (String path : actions) {
            assertThat(customer.post(path, slow(1, 1, null)).status()).as(path).isEqualTo(403);
            assertThat(finance.post(path, slow(1, 1, null)).status()).as(path).isEqualTo(403);
            assertThat(nobody.post(path, slow(1, 1, null)).status()).as(path).isEqualTo(401);
        }
        assertThat(finance.get("/api/v1/job-runs").status()).isEqualTo(200);
    }

    @Test
    void theApiDocumentDescribesTheJobControlEndpoints() {
        var document = withoutKey().get("/v3/api-docs");

        assertThat(document.status()).isEqualTo(200);
        assertThat(document.body().path("paths").propertyNames())
                .contains(
                        "/api/v1/jobs",
                        "/api/v1/jobs/{name}/runs",
                        "/api/v1/job-runs",
                        "/api/v1/job-runs/{id}",
                        "/api/v1/job-runs/{id}/stop",
                        "/api/v1/job-runs/{id}/restart",
                        "/api/v1/job-runs/events");
        assertThat(document.body().path("components").path("schemas").propertyNames())
                .contains("StartJobRun", "JobRunAction", "JobRun", "JobDefinition");
    }

    private static List<Long> ids(Http.Response page) {
        List<Long> ids = new ArrayList<>();
        page.body().path("data").forEach(r -> ids.add(r.path("id").asLong()));
        return ids;
    }

    private static int runsOf(Http as, String job) {
        return as.get("/api/v1/job-runs?limit=100&job=" + job)
                .body()
                .path("data")
                .size();
    }

    /** A run as a worker killed in the middle of its step leaves it: STARTED, owned by a worker that is gone. */
    private long runLeftByADeadWorker(String job, String step) {
        int deadWorker = jdbc.sql("select nextval('batch_worker_seq')::int")
                .query(Integer.class)
                .single();
        JobParameters parameters = new JobParametersBuilder()
                .addString("run.id", UUID.randomUUID().toString())
                .addString("passes", "2")
                .addString("pauseMs", "1")
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

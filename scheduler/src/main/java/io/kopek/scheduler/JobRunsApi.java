package io.kopek.scheduler;

import io.kopek.api.Allowed;
import io.kopek.api.ApiPrincipal;
import io.kopek.api.ApiRole;
import io.kopek.api.Idempotent;
import io.kopek.api.JobParameterText;
import io.kopek.api.Page;
import io.kopek.batch.JobDefinition;
import io.kopek.batch.JobRun;
import io.kopek.batch.Jobs;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.errors.KopekException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.batch.core.BatchStatus;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The operator's control of batch runs: the jobs with the parameters each takes and its last run, starting a run,
 * the history of runs with filters, one run with its progress per step, stopping and restarting a run, and the
 * runs' changes as they happen ({@link JobRunEvents}). Every action is written to the {@link AuditLog} with the
 * caller's reason before it is taken. Starting, stopping and restarting need a process with the batch role (where
 * the jobs are) behind the API; reading works anywhere, since the runs are in the database.
 */
@RestController
@ConditionalOnRole(Role.API)
@RequestMapping("/api/v1")
class JobRunsApi {

    private final Jobs jobs;
    private final AuditLog audit;
    private final JobRunEvents events;
    private final BusinessCalendar calendar;

    JobRunsApi(Jobs jobs, AuditLog audit, JobRunEvents events, BusinessCalendar calendar) {
        this.jobs = jobs;
        this.audit = audit;
        this.events = events;
        this.calendar = calendar;
    }

    /**
     * A new run: its parameters as strings (each start is a new run unless they include {@code run.id}), checked like
     * every string of a request but for a staged file's path ({@link JobParameterText}); and why, for the audit log.
     */
    @Schema(name = "StartJobRun")
    record StartRun(
            @JsonDeserialize(contentUsing = JobParameterText.class)
            Map<String, String> parameters,

            String reason) {}

    /** Why an operator stops or restarts a run, for the audit log. */
    @Schema(name = "JobRunAction")
    record Action(String reason) {}

    @Operation(summary = "List the batch jobs with the parameters each takes and its last run")
    @Allowed({ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/jobs")
    List<JobDefinition> jobs() {
        return jobs.definitions();
    }

    /**
     * Starts a run and answers at once (202): follow it at {@code /api/v1/job-runs/{id}}. The request's
     * {@code Idempotency-Key} names the run, so a repeat answers with the run the first request started.
     */
    @Operation(summary = "Start a run of a batch job")
    @Allowed({ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.BY_ITS_OPERATIONS)
    @PostMapping("/jobs/{name}/runs")
    @ResponseStatus(HttpStatus.ACCEPTED)
    JobRun start(
            @PathVariable String name,
            @RequestBody(required = false) StartRun body,
            @RequestHeader("Idempotency-Key") String idempotencyKey,
            @AuthenticationPrincipal ApiPrincipal caller) {
        Map<String, String> parameters = body == null || body.parameters() == null ? Map.of() : body.parameters();
        String reason = body == null ? null : body.reason();
        return jobs.start(
                name,
                parameters,
                requestKey(caller, idempotencyKey),
                () -> audit.record(caller, AuditAction.JOB_TRIGGERED, name, parameters, reason));
    }

    /** Runs newest first; {@code from} and {@code to} are days of the run's creation in the business zone. */
    @Operation(summary = "List job runs, newest first")
    @Allowed({ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/job-runs")
    Page<JobRun> history(
            @RequestParam(required = false) String job,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) LocalDate from,
            @RequestParam(required = false) LocalDate to,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        if (from != null && to != null && from.isAfter(to)) {
            throw KopekException.malformed("validation", "from: must not be after to");
        }
        Jobs.RunFilter filter = new Jobs.RunFilter(
                job == null || job.isBlank() ? null : job,
                status(status),
                startOf(from),
                startOf(to == null ? null : to.plusDays(1)));
        return Page.read(cursor, limit, (below, n) -> jobs.history(filter, below, n), JobRun::id);
    }

    @Operation(summary = "Get a job run with its steps and progress")
    @Allowed({ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/job-runs/{id}")
    JobRun run(@PathVariable long id) {
        return jobs.get(id);
    }

    /**
     * The runs as they change: an event {@code run} with the run's JSON whenever its status or counts change, and
     * a comment every few seconds to keep the connection open. {@code job} keeps one job's runs.
     */
    @Operation(summary = "Follow job runs as they change (server-sent events)")
    @Allowed({ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping(value = "/job-runs/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(@RequestParam(required = false) String job) {
        return events.listen(job == null || job.isBlank() ? null : job);
    }

    /** Asks a running run to stop (202): it ends STOPPED at its next chunk or pass, and may be restarted. */
    @Operation(summary = "Stop a running job run")
    @Allowed({ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.BY_ITS_OPERATIONS)
    @PostMapping("/job-runs/{id}/stop")
    @ResponseStatus(HttpStatus.ACCEPTED)
    JobRun stop(
            @PathVariable long id,
            @RequestBody(required = false) Action body,
            @AuthenticationPrincipal ApiPrincipal caller) {
        JobRun run = jobs.get(id);
        audit.record(caller, AuditAction.JOB_STOPPED, run.job(), Map.of("run_id", Long.toString(id)), reason(body));
        return jobs.stop(id);
    }

    /** Continues a failed or stopped run as a new run of the same job instance (202). */
    @Operation(summary = "Restart a failed or stopped job run")
    @Allowed({ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.BY_ITS_OPERATIONS)
    @PostMapping("/job-runs/{id}/restart")
    @ResponseStatus(HttpStatus.ACCEPTED)
    JobRun restart(
            @PathVariable long id,
            @RequestBody(required = false) Action body,
            @AuthenticationPrincipal ApiPrincipal caller) {
        JobRun run = jobs.get(id);
        audit.record(caller, AuditAction.JOB_RESTARTED, run.job(), Map.of("run_id", Long.toString(id)), reason(body));
        return jobs.restart(id);
    }

    private static String reason(Action body) {
        return body == null ? null : body.reason();
    }

    private Instant startOf(LocalDate day) {
        return day == null ? null : day.atStartOfDay(calendar.zone()).toInstant();
    }

    private static BatchStatus status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return BatchStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw KopekException.malformed(
                    "validation", "status: one of " + Arrays.toString(BatchStatus.values()) + ", not " + status);
        }
    }

    /**
     * What names the run a request starts: its caller (an API key or a person: {@code actor()} with the id) and its
     * {@code Idempotency-Key}, hashed (the key is the client's and need not show in the run's parameters).
     */
    private static String requestKey(ApiPrincipal caller, String idempotencyKey) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((caller.idempotencyScope() + ":" + idempotencyKey).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

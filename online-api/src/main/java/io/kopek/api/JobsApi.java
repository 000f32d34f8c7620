package io.kopek.api;

import io.kopek.batch.JobRun;
import io.kopek.batch.Jobs;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The batch jobs' runs: start one ({@code fiscalPush}, {@code fiscalStatus}, {@code unfiscalizedCheck}, ...), list
 * a job's runs, follow one's status and progress per step, and restart one that failed or stopped (a run left
 * behind by a worker that died is marked failed first). Starting needs a process with the batch role; reading
 * works anywhere.
 */
@RestController
@ConditionalOnRole(Role.API)
@RequestMapping("/api/v1")
class JobsApi {

    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 200;

    private final Jobs jobs;

    JobsApi(Jobs jobs) {
        this.jobs = jobs;
    }

    /**
     * Parameters of a new run, as strings; each start is a new run unless they include {@code run.id}. Checked like every
     * string of a request, but for card numbers in a staged file's path ({@link NulCharacters.JobParameter}).
     */
    @Schema(name = "StartJobRun")
    record StartRun(
            @tools.jackson.databind.annotation.JsonDeserialize(contentUsing = NulCharacters.JobParameter.class)
            Map<String, String> parameters) {}

    @Operation(summary = "List the batch jobs")
    @Allowed({ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/jobs")
    Set<String> names() {
        return jobs.names();
    }

    /** Starts a run and answers at once (202): follow it at {@code /api/v1/job-runs/{id}}. */
    @Operation(summary = "Start a run of a batch job")
    @Allowed({ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.BY_ITS_OPERATIONS)
    @PostMapping("/jobs/{name}/runs")
    @ResponseStatus(HttpStatus.ACCEPTED)
    JobRun start(@PathVariable String name, @RequestBody(required = false) StartRun body) {
        return jobs.start(name, body == null || body.parameters() == null ? Map.of() : body.parameters());
    }

    /** The latest runs of a job, newest first. */
    @Operation(summary = "List a job's latest runs")
    @Allowed({ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/jobs/{name}/runs")
    List<JobRun> runs(@PathVariable String name, @RequestParam(required = false) Integer limit) {
        int n = limit == null ? DEFAULT_LIMIT : Math.clamp(limit, 1, MAX_LIMIT);
        return jobs.runs(name, n);
    }

    @Operation(summary = "Get a job run with its steps")
    @Allowed({ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping("/job-runs/{id}")
    JobRun run(@PathVariable long id) {
        return jobs.get(id);
    }

    /** Continues a failed or stopped run as a new run of the same job instance (202). */
    @Operation(summary = "Restart a failed or stopped job run")
    @Allowed({ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.BY_ITS_OPERATIONS)
    @PostMapping("/job-runs/{id}/restart")
    @ResponseStatus(HttpStatus.ACCEPTED)
    JobRun restart(@PathVariable long id) {
        return jobs.restart(id);
    }
}

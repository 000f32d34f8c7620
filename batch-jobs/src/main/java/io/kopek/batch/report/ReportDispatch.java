package io.kopek.batch.report;

import io.kopek.batch.JobRun;
import io.kopek.batch.Jobs;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.report.ReconciliationReports;
import io.kopek.report.ReportRuns;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sets report runs going in the batch role: the reconciliation reports asked for by {@code reconciliation.completed}
 * are queued, each queued run is claimed (by one process of many: {@code SKIP LOCKED}) and started as a
 * {@code reportRun} job run, and a run whose job run ended without finishing it (a crash, a stop) is marked failed
 * with why, so it can be restarted. Safe to call from any number of processes at once.
 */
@Component
@ConditionalOnRole(Role.BATCH)
public class ReportDispatch {

    private static final Logger log = LoggerFactory.getLogger(ReportDispatch.class);

    private final Jobs jobs;
    private final ReportRuns runs;
    private final ReconciliationReports reconciliationReports;

    ReportDispatch(Jobs jobs, ReportRuns runs, ReconciliationReports reconciliationReports) {
        this.jobs = jobs;
        this.runs = runs;
        this.reconciliationReports = reconciliationReports;
    }

    /** One round; answers how many runs it started. */
    public int dispatch() {
        try {
            while (reconciliationReports.poll() > 0) {
                // again while events keep asking for reports
            }
        } catch (RuntimeException e) {
            log.warn("cannot queue the reconciliation reports", e);
        }
        int started = 0;
        for (OptionalLong next = runs.claimNext(); next.isPresent(); next = runs.claimNext()) {
            if (start(next.getAsLong())) {
                started++;
            }
        }
        for (ReportRuns.RunningRun running : runs.running()) {
            jobs.find(running.jobRunId())
                    .filter(job -> !job.running())
                    .ifPresent(job -> runs.failed(
                            running.runId(),
                            "its job run " + job.id() + " ended " + job.status()
                                    + (job.exitDescription() == null
                                                    || job.exitDescription().isBlank()
                                            ? ""
                                            : ": " + job.exitDescription())));
        }
        return started;
    }

    private boolean start(long runId) {
        try {
            JobRun job = jobs.start(ReportJobs.RUN, Map.of("runId", Long.toString(runId)));
            runs.jobStarted(runId, job.id());
            return true;
        } catch (RuntimeException e) {
            log.warn("cannot start report run {}", runId, e);
            runs.failed(runId, "its job could not start: " + e.getMessage());
            return false;
        }
    }
}

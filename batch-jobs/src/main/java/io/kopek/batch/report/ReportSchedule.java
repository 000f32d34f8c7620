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
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Report runs in the batch role, with plain Spring scheduling (Quartz comes with the scheduler): every few seconds
 * the reconciliation reports asked for by {@code reconciliation.completed} are queued, each queued run is claimed
 * (by one process of many: {@code SKIP LOCKED}) and started as a {@code reportRun} job run, and a run whose job run
 * ended without finishing it (a crash, a stop) is marked failed with why, so it can be restarted; daily, the
 * {@code reportRetention} job.
 */
@Component
@ConditionalOnRole(Role.BATCH)
class ReportSchedule {

    private static final Logger log = LoggerFactory.getLogger(ReportSchedule.class);

    private final Jobs jobs;
    private final ReportRuns runs;
    private final ReconciliationReports reconciliationReports;

    ReportSchedule(Jobs jobs, ReportRuns runs, ReconciliationReports reconciliationReports) {
        this.jobs = jobs;
        this.runs = runs;
        this.reconciliationReports = reconciliationReports;
    }

    @Scheduled(fixedDelayString = "${kopek.batch.reports.dispatch-every:2s}", initialDelayString = "3s")
    void dispatch() {
        try {
            while (reconciliationReports.poll() > 0) {
                // again while events keep asking for reports
            }
        } catch (RuntimeException e) {
            log.warn("cannot queue the reconciliation reports", e);
        }
        for (OptionalLong next = runs.claimNext(); next.isPresent(); next = runs.claimNext()) {
            start(next.getAsLong());
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
    }

    @Scheduled(cron = "${kopek.batch.reports.retention:0 30 3 * * *}", zone = "${kopek.business-zone:Europe/Moscow}")
    void retention() {
        try {
            jobs.start(ReportJobs.RETENTION, Map.of());
        } catch (RuntimeException e) {
            log.warn("cannot start a run of {}", ReportJobs.RETENTION, e);
        }
    }

    private void start(long runId) {
        try {
            JobRun job = jobs.start(ReportJobs.RUN, Map.of("runId", Long.toString(runId)));
            runs.jobStarted(runId, job.id());
        } catch (RuntimeException e) {
            log.warn("cannot start report run {}", runId, e);
            runs.failed(runId, "its job could not start: " + e.getMessage());
        }
    }
}

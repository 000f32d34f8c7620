package io.kopek.batch.report;

import io.kopek.batch.Jobs;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Report runs on a schedule in the batch role, with plain Spring scheduling (Quartz comes with the scheduler): the
 * {@link ReportDispatch} every few seconds, the {@code reportRetention} job daily.
 */
@Component
@ConditionalOnRole(Role.BATCH)
class ReportSchedule {

    private static final Logger log = LoggerFactory.getLogger(ReportSchedule.class);

    private final Jobs jobs;
    private final ReportDispatch dispatch;

    ReportSchedule(Jobs jobs, ReportDispatch dispatch) {
        this.jobs = jobs;
        this.dispatch = dispatch;
    }

    @Scheduled(fixedDelayString = "${kopek.batch.reports.dispatch-every:2s}", initialDelayString = "3s")
    void dispatch() {
        dispatch.dispatch();
    }

    @Scheduled(cron = "${kopek.batch.reports.retention:0 30 3 * * *}", zone = "${kopek.business-zone:Europe/Moscow}")
    void retention() {
        try {
            jobs.start(ReportJobs.RETENTION, Map.of());
        } catch (RuntimeException e) {
            log.warn("cannot start a run of {}", ReportJobs.RETENTION, e);
        }
    }
}

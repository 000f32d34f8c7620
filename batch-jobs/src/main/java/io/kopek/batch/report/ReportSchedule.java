package io.kopek.batch.report;

import io.kopek.batch.Jobs;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.schedule.ScheduledWork;
import io.kopek.schedule.ScheduledWork.Misfire;
import java.time.Duration;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The reports' schedules in the batch role: the {@link ReportDispatch} every few seconds, retention daily. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.BATCH)
class ReportSchedule {

    /** Misfire RUN_ONCE_NOW: one pass claims every queued run. */
    @Bean
    ScheduledWork reportDispatchSchedule(ReportDispatch dispatch) {
        return new ScheduledWork(
                "reportDispatch",
                "Queues the reconciliation reports asked for and starts a reportRun job run for each queued report run",
                "0/2 * * * * ?",
                Misfire.RUN_ONCE_NOW,
                dispatch::dispatch);
    }

    /** Misfire RUN_ONCE_NOW: a late run deletes what the missed ones would have; files are not kept longer. */
    @Bean
    ScheduledWork reportRetentionSchedule(Jobs jobs) {
        return new ScheduledWork(
                ReportJobs.RETENTION,
                "Deletes report files past their retention and marks their runs expired, daily (a reportRetention run)",
                "0 30 3 * * ?",
                Misfire.RUN_ONCE_NOW,
                () -> jobs.run(ReportJobs.RETENTION, Map.of(), Duration.ofHours(1)));
    }
}

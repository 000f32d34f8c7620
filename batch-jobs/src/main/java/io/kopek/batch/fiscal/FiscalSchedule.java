package io.kopek.batch.fiscal;

import io.kopek.batch.JobRun;
import io.kopek.batch.Jobs;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs the fiscal jobs in the batch role, with plain Spring scheduling (Quartz comes with the scheduler): a new
 * {@code fiscalPush} and {@code fiscalStatus} run every few seconds unless the previous one started here still
 * runs, and the {@code unfiscalizedCheck} daily. Only when {@code kopek.fiscal.enabled=true}.
 */
@Component
@ConditionalOnRole(Role.BATCH)
@ConditionalOnBooleanProperty("kopek.fiscal.enabled")
class FiscalSchedule {

    private static final Logger log = LoggerFactory.getLogger(FiscalSchedule.class);

    private final Jobs jobs;
    private final Map<String, Long> lastRun = new ConcurrentHashMap<>();

    FiscalSchedule(Jobs jobs) {
        this.jobs = jobs;
    }

    @Scheduled(fixedDelayString = "${kopek.batch.fiscal.push-every:10s}", initialDelayString = "5s")
    void push() {
        startUnlessRunning(FiscalPushJob.NAME);
    }

    @Scheduled(fixedDelayString = "${kopek.batch.fiscal.status-every:10s}", initialDelayString = "7s")
    void status() {
        startUnlessRunning(FiscalStatusJob.NAME);
    }

    @Scheduled(
            cron = "${kopek.batch.fiscal.unfiscalized-check:0 0 7 * * *}",
            zone = "${kopek.business-zone:Europe/Moscow}")
    void unfiscalizedCheck() {
        startUnlessRunning(UnfiscalizedCheckJob.NAME);
    }

    private void startUnlessRunning(String job) {
        Long previous = lastRun.get(job);
        if (previous != null && jobs.find(previous).map(JobRun::running).orElse(false)) {
            return;
        }
        try {
            lastRun.put(job, jobs.start(job, Map.of()).id());
        } catch (RuntimeException e) {
            log.warn("cannot start a run of {}", job, e);
        }
    }
}

package io.kopek.batch.fiscal;

import io.kopek.batch.Jobs;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.schedule.ScheduledWork;
import io.kopek.schedule.ScheduledWork.Misfire;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The fiscal jobs' schedules, in the batch role when {@code kopek.fiscal.enabled=true} (the scheduler fires them,
 * once per firing across the cluster). A firing runs its job and waits for the run to end, so runs of a job never
 * pile up: a firing due meanwhile waits, and one missed is a misfire.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.BATCH)
@ConditionalOnBooleanProperty("kopek.fiscal.enabled")
class FiscalSchedule {

    /** Longer than any run should take; a run still going then is left to go on, and the next firing may start. */
    private static final Duration RUN_TIMEOUT = Duration.ofHours(1);

    /** Misfire RUN_ONCE_NOW: one run sends everything that piled up, however many firings were missed. */
    @Bean
    ScheduledWork fiscalPushSchedule(Jobs jobs) {
        return new ScheduledWork(
                FiscalPushJob.NAME,
                "Makes receipts of new payments and refunds and sends them to the fiscal data operator (a fiscalPush run)",
                "0/10 * * * * ?",
                Misfire.RUN_ONCE_NOW,
                () -> jobs.run(FiscalPushJob.NAME, Map.of(), RUN_TIMEOUT));
    }

    /** Misfire RUN_ONCE_NOW: one run reads every status still due. */
    @Bean
    ScheduledWork fiscalStatusSchedule(Jobs jobs) {
        return new ScheduledWork(
                FiscalStatusJob.NAME,
                "Reads the fiscal data operator's answers to sent receipts (a fiscalStatus run)",
                "5/10 * * * * ?",
                Misfire.RUN_ONCE_NOW,
                () -> jobs.run(FiscalStatusJob.NAME, Map.of(), RUN_TIMEOUT));
    }

    /**
     * Misfire WAIT_FOR_NEXT: a daily check bound to its hour; the next day's run looks back far enough
     * ({@code kopek.fiscal.unfiscalized-lookback}, 2 days) to list what the missed one would have.
     */
    @Bean
    ScheduledWork unfiscalizedCheckSchedule(Jobs jobs) {
        return new ScheduledWork(
                UnfiscalizedCheckJob.NAME,
                "Lists payments and refunds still without a done receipt, daily (an unfiscalizedCheck run)",
                "0 0 7 * * ?",
                Misfire.WAIT_FOR_NEXT,
                () -> jobs.run(UnfiscalizedCheckJob.NAME, Map.of(), RUN_TIMEOUT));
    }
}

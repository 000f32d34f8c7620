package io.kopek.batch.chain;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.schedule.ScheduledWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The schedule {@code dailyChain}: yesterday's settlement chain of every provider, daily ({@code 0 0 6 * * ?} in the
 * business zone by default, {@code kopek.batch.chain.cron}). A firing missed while no process ran waits for the
 * next: missed days are caught up deliberately, in date order ({@link SettlementChains#catchUp}). And
 * {@code chainRecovery}: every minute, a chain left running by a process that died is failed (its step that ran
 * says its batch worker died), so its day shows as failed and missed without waiting for the next claim of it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.BATCH)
class DailyChainSchedule {

    static final String NAME = "dailyChain";

    private static final Logger log = LoggerFactory.getLogger(DailyChainSchedule.class);

    @Bean
    ScheduledWork dailyChain(SettlementChains chains, ChainProperties properties) {
        return new ScheduledWork(
                NAME,
                "Yesterday's settlement chain of every provider: intake, import, reconciliation, reports",
                properties.cron(),
                ScheduledWork.Misfire.WAIT_FOR_NEXT,
                chains::runYesterday);
    }

    /** Misfire: run once at once; one pass finds every chain left behind, however many firings were missed. */
    @Bean
    ScheduledWork chainRecovery(ChainStore store) {
        return new ScheduledWork(
                "chainRecovery",
                "Chains left running by a process that died are failed, so their days show as missed",
                "30 * * * * ?",
                ScheduledWork.Misfire.RUN_ONCE_NOW,
                () -> {
                    int failed = store.failDeadChains();
                    if (failed > 0) {
                        log.warn("{} settlement chain(s) left running by a dead batch worker failed", failed);
                    }
                });
    }
}

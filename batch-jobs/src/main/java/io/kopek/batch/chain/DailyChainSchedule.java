package io.kopek.batch.chain;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.schedule.ScheduledWork;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The schedule {@code dailyChain}: yesterday's settlement chain of every provider, daily ({@code 0 0 6 * * ?} in the
 * business zone by default, {@code kopek.batch.chain.cron}). A firing missed while no process ran waits for the
 * next: missed days are caught up deliberately, in date order ({@link SettlementChains#catchUp}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.BATCH)
class DailyChainSchedule {

    static final String NAME = "dailyChain";

    @Bean
    ScheduledWork dailyChain(SettlementChains chains, ChainProperties properties) {
        return new ScheduledWork(
                NAME,
                "Yesterday's settlement chain of every provider: intake, import, reconciliation, reports",
                properties.cron(),
                ScheduledWork.Misfire.WAIT_FOR_NEXT,
                chains::runYesterday);
    }
}

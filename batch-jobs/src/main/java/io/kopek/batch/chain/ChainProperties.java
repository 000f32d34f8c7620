package io.kopek.batch.chain;

import java.time.Duration;
import java.time.LocalDate;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kopek.batch.chain.*}: the daily settlement chain.
 *
 * @param cron when the {@code dailyChain} schedule runs yesterday's chain of every provider by default (Quartz cron,
 *     business zone); operators change it at run time
 * @param since the first business day a provider's chain is owed for (catch-up counts missed days from it); not
 *     set: from the provider's earliest chain
 * @param maxDays how many days back from yesterday a catch-up looks at most, whatever {@code since} says
 * @param stepTimeout how long one job run of a step (an import, the reconciliation) is waited for
 * @param reportsTimeout how long the day's reports are waited for until they succeed or fail
 */
@ConfigurationProperties("kopek.batch.chain")
public record ChainProperties(
        @DefaultValue("0 0 6 * * ?") String cron,
        LocalDate since,
        @DefaultValue("62") int maxDays,
        @DefaultValue("2h") Duration stepTimeout,
        @DefaultValue("30m") Duration reportsTimeout) {

    public ChainProperties {
        if (maxDays < 1) {
            throw new IllegalArgumentException("kopek.batch.chain.max-days must be at least 1");
        }
    }
}

package io.kopek.reconciliation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code kopek.reconciliation.*}.
 *
 * @param timeWindow how far apart a registry line and a ledger operation of the same amount may be to match when
 *     nothing else ties them
 * @param feeTolerance how many kopecks a provider's commission may differ from the rule's expectation
 * @param adjacentDays how many days either side count as "the other day" for a line or payment found there
 * @param workMem the memory each sort or hash of a run may take before spilling to disk (PostgreSQL's
 *     {@code work_mem}, for the run's transaction only)
 * @param partitions how many partitions a run of a day is split into, by a hash of the provider's payment id: they
 *     run in a transaction each, at once in several threads or processes; the results are the same whatever the
 *     number. Each reads the whole day to find its own, so no more than run at once: as many as {@code threads}
 * @param threads how many partitions one process matches at once: {@link Reconciliation#run} and the batch job's
 *     local partitions (not its partitions sent to other processes)
 */
@ConfigurationProperties("kopek.reconciliation")
public record ReconciliationProperties(
        @DefaultValue("15m") Duration timeWindow,
        @DefaultValue("1") long feeTolerance,
        @DefaultValue("3") int adjacentDays,
        @DefaultValue("256MB") DataSize workMem,
        @DefaultValue("2") int partitions,
        @DefaultValue("2") int threads) {

    public ReconciliationProperties {
        if (partitions < 1 || partitions > 1024) {
            throw new IllegalArgumentException("kopek.reconciliation.partitions must be between 1 and 1024");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("kopek.reconciliation.threads must be at least 1, not " + threads);
        }
    }
}

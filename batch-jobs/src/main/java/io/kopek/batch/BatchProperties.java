package io.kopek.batch;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kopek.batch.*}: how batch workers look after their runs.
 *
 * @param ownerlessAfter a run that has not yet told which worker runs it is taken for abandoned after this long
 * @param workerName how this worker is named where operators look (the log, {@code batch_execution_owner.host}): a
 *     pod's name in Kubernetes; not set: the host name
 * @param stopTimeout when the process stops, how long its running runs are given to stop at their next chunk or pass
 *     (they end STOPPED, to be restarted); a run still going then is left to the recovery of a dead worker
 */
@ConfigurationProperties("kopek.batch")
public record BatchProperties(
        @DefaultValue("2m") Duration ownerlessAfter,
        String workerName,
        @DefaultValue("90s") Duration stopTimeout) {}

package io.kopek.batch.settlement;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kopek.reconciliation.*} as the batch side runs the {@code reconciliation} job: whether its partitions go to
 * other processes. How many partitions a day is cut into ({@code kopek.reconciliation.partitions}) and how many a
 * process runs at once ({@code .threads}) belong to the reconciliation itself, which runs them so outside a job too.
 *
 * @param remote the partitions sent to the batch workers over RabbitMQ instead of run on local threads
 */
@ConfigurationProperties("kopek.reconciliation")
public record ReconciliationJobProperties(@DefaultValue Remote remote) {

    /**
     * {@code kopek.reconciliation.remote.*}: Spring Batch remote partitioning over RabbitMQ (the connection from
     * {@code spring.rabbitmq.*}).
     *
     * @param enabled whether partitions go to the queue; off, RabbitMQ is never connected to
     * @param queue the durable queue of partition requests every manager and worker of an installation shares
     * @param consumers partitions this process takes from the queue at once; 0 makes a process that only manages
     * @param pollInterval how often the manager reads the job repository for its partitions' ends
     * @param timeout how long the manager waits for all its partitions before its step fails: longer than any
     *     partition takes, since a worker's death is noticed sooner (the redelivered request, {@code batchRecovery})
     */
    public record Remote(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("kopek.reconciliation.partitions") String queue,
            @DefaultValue("1") int consumers,
            @DefaultValue("1s") Duration pollInterval,
            @DefaultValue("30m") Duration timeout) {

        public Remote {
            if (consumers < 0) {
                throw new IllegalArgumentException(
                        "kopek.reconciliation.remote.consumers must not be negative, not " + consumers);
            }
            if (pollInterval.isNegative() || pollInterval.isZero() || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException(
                        "kopek.reconciliation.remote.poll-interval and .timeout must be positive");
            }
            if (queue == null || queue.isBlank()) {
                throw new IllegalArgumentException("kopek.reconciliation.remote.queue must be named");
            }
        }
    }
}

package io.kopek.batch.settlement;

import io.kopek.batch.PartitionOwners;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.support.AmqpHeaders;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.messaging.Message;

/**
 * A worker's side of a partition request, taken from the queue one at a time and acknowledged when this returns. What
 * Spring Batch's {@code StepExecutionRequestHandler} does (the partition's step execution run by the worker step),
 * but only for a partition nobody started yet: a request comes again when RabbitMQ redelivers it, after the channel
 * of the worker that had it closed, and then the partition may be STARTED by a worker that died mid-partition. Such a
 * partition is marked FAILED ("its worker died mid-partition"), never run a second time beside a worker that might
 * still live; if its worker does live (only its connection to RabbitMQ broke), the request is held until that worker
 * ends the partition or dies.
 */
final class PartitionRequests {

    private static final Logger log = LoggerFactory.getLogger(PartitionRequests.class);

    private final Step step;
    private final JobRepository repository;
    private final PartitionOwners owners;
    private final Duration pollInterval;

    PartitionRequests(Step step, JobRepository repository, PartitionOwners owners, Duration pollInterval) {
        this.step = step;
        this.repository = repository;
        this.owners = owners;
        this.pollInterval = pollInterval;
    }

    public void handle(Message<StepExecutionRequest> message) {
        StepExecutionRequest request = message.getPayload();
        boolean redelivered = Boolean.TRUE.equals(message.getHeaders().get(AmqpHeaders.REDELIVERED));
        if (!step.getName().equals(request.getStepName())) {
            log.warn("partition request {} dropped: this worker runs step {} only", request, step.getName());
            return;
        }
        StepExecution partition = repository.getStepExecution(request.getStepExecutionId());
        if (partition == null) {
            log.warn("partition request {} dropped: no such step execution", request);
            return;
        }
        BatchStatus status = partition.getStatus();
        if (status == BatchStatus.STARTING) {
            run(partition);
        } else if (status == BatchStatus.STARTED || status == BatchStatus.STOPPING) {
            watch(partition, redelivered);
        } else {
            log.info(
                    "partition request {} dropped: the partition already ended {}{}",
                    request,
                    status,
                    redelivered ? " (redelivered)" : "");
        }
    }

    private void run(StepExecution partition) {
        owners.claim(partition);
        try {
            // Ends the partition in the repository, COMPLETED or FAILED with its exception: the manager reads it there.
            step.execute(partition);
        } catch (Exception e) {
            // Only when the partition could not be marked STARTED: someone else changed it meanwhile (a manager that
            // gave up on it), and what they wrote stands.
            log.warn("partition {} ({}) not run: {}", partition.getId(), partition.getStepName(), e.toString());
        }
    }

    private void watch(StepExecution partition, boolean redelivered) {
        log.warn(
                "partition {} ({}) is {} on another worker and its request came again{}; it is failed if that worker"
                        + " is dead, else watched until it ends",
                partition.getId(),
                partition.getStepName(),
                partition.getStatus(),
                redelivered ? " (redelivered: that worker's channel closed)" : "");
        while (true) {
            if (owners.failIfAbandoned(partition.getId(), PartitionOwners.diedMidPartition(partition))) {
                return;
            }
            StepExecution now = repository.getStepExecution(partition.getId());
            if (now == null || !now.getStatus().isRunning()) {
                return;
            }
            partition = now;
            try {
                Thread.sleep(pollInterval);
            } catch (InterruptedException e) {
                // Stopping: the partition's worker, or Recovery if it dies, ends it without us.
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

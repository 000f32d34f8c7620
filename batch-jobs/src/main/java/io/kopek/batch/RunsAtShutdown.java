package io.kopek.batch;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.errors.KopekException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * When a batch process is asked to stop (SIGTERM: a roll-out, a scale-down), the runs it is running are asked to stop
 * as an operator's stop does ({@link Jobs#stop}), and the shutdown waits up to {@code kopek.batch.stop-timeout} for
 * them to end STOPPED at their next chunk or pass; a restart continues each where it stopped. Without this the
 * process would end under them and leave them to the recovery of a dead worker (FAILED, a minute later). A step that
 * is one long transaction (a day's reconciliation, a report's file) ends its transaction first: the timeout, and a
 * pod's termination grace period above it, are sized for the longest of those.
 */
@Component
@ConditionalOnRole(Role.BATCH)
class RunsAtShutdown implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RunsAtShutdown.class);

    private final BatchWorker worker;
    private final Jobs jobs;
    private final BatchProperties properties;
    private final ExecutionOwners owners;
    private volatile boolean running;

    RunsAtShutdown(BatchWorker worker, Jobs jobs, BatchProperties properties, ExecutionOwners owners) {
        this.worker = worker;
        this.jobs = jobs;
        this.properties = properties;
        this.owners = owners;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        // The runs this process executes (the job repository's rows of this worker may include runs that no thread
        // runs any more); a process with none stops at once, without asking the database, which may be gone.
        List<Long> mine = running();
        if (mine.isEmpty()) {
            return;
        }
        log.info(
                "batch worker {} ({}) stopping: runs {} asked to stop at their next chunk or pass, waiting up to {}",
                worker.id(),
                worker.host(),
                mine,
                properties.stopTimeout());
        for (long run : mine) {
            try {
                jobs.stop(run);
            } catch (KopekException endedMeanwhile) {
                // nothing left to stop
            }
        }
        long deadline = System.nanoTime() + properties.stopTimeout().toNanos();
        List<Long> left = running();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            left = running();
        }
        if (left.isEmpty()) {
            log.info("batch worker {}: runs {} ended; a restart continues a stopped one", worker.id(), mine);
        } else {
            log.warn(
                    "batch worker {}: runs {} still running after {}; they are recovered as a dead worker's",
                    worker.id(),
                    left,
                    properties.stopTimeout());
        }
    }

    /** The runs this process is executing now, in order. */
    private List<Long> running() {
        return owners.runningHere().stream().sorted().toList();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** With the scheduler's own phase: the first to stop, while everything the runs need is still there. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE;
    }
}

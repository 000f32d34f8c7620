package io.kopek.scheduler;

import static io.kopek.scheduler.Schedules.quartz;

import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * When the process stops, after the scheduler has stopped taking firings (its own lifecycle stops first, in a later
 * phase) and before it shuts down waiting for the firings under way: those firings are interrupted, so that a work
 * waiting for its job run to end stops waiting instead of holding the shutdown for as long as the run takes. A work
 * doing its own pass (hold expiry) ends the pass.
 */
@Component
class FiringsAtShutdown implements SmartLifecycle {

    private final Scheduler quartz;
    private volatile boolean running;

    FiringsAtShutdown(Scheduler quartz) {
        this.quartz = quartz;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        quartz(() -> {
            for (JobExecutionContext firing : quartz.getCurrentlyExecutingJobs()) {
                quartz.interrupt(firing.getFireInstanceId());
            }
            return null;
        });
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Just below the scheduler's own ({@link SmartLifecycle#DEFAULT_PHASE}): stopped right after it. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 1;
    }
}

package io.kopek.scheduler;

import io.kopek.schedule.ScheduledWork;
import java.util.Optional;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.InterruptableJob;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Quartz job: runs the {@link ScheduledWork} its job is named after. Never two firings of a schedule at once
 * across the cluster ({@link DisallowConcurrentExecution}: a firing due while the last still runs waits for it, and
 * is a misfire if it waited longer than the threshold).
 */
@DisallowConcurrentExecution
class ScheduledWorkJob implements InterruptableJob {

    private static final Logger log = LoggerFactory.getLogger(ScheduledWorkJob.class);

    private final Works works;
    private volatile Thread running;

    ScheduledWorkJob(Works works) {
        this.works = works;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        String name = context.getJobDetail().getKey().getName();
        Optional<ScheduledWork> work = works.named(name);
        if (work.isEmpty()) {
            // A process of another version (a rolling upgrade): the next firing may land on one that knows it.
            log.warn("schedule {} fired on a process without its work; skipped", name);
            return;
        }
        running = Thread.currentThread();
        try {
            work.get().work().run();
        } catch (RuntimeException e) {
            log.warn("schedule {}: its work failed", name, e);
            throw new JobExecutionException(e, false);
        } finally {
            running = null;
            Thread.interrupted(); // an interrupt meant for this firing must not reach the pool's next one
        }
    }

    /** At shutdown: a work waiting for a job run stops waiting (the run goes on; its worker owns it). */
    @Override
    public void interrupt() {
        Thread thread = running;
        if (thread != null) {
            thread.interrupt();
        }
    }
}

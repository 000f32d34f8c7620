package io.kopek.scheduler;

import io.kopek.schedule.ScheduledWork;
import io.kopek.schedule.ScheduledWork.Misfire;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Works for the scheduler's tests, each counting its runs, and a record of every firing this process ran (schedule,
 * the fire time it was scheduled for, this process's instance id) taken from Quartz itself. Their default crons lie
 * in 2099: a test sets the cron it needs (API, {@code kopek.scheduler.schedules.<name>.cron}).
 */
@TestConfiguration(proxyBeanMethods = false)
class TestWorks {

    static final String FAR = "0 0 0 1 1 ? 2099";

    /** Runs per work in this process, and the firings it ran. */
    static class Firings implements JobListener, SmartInitializingSingleton {

        record Firing(String schedule, Instant scheduledFor, String instance) {}

        private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        final List<Firing> fired = new CopyOnWriteArrayList<>();
        private final Scheduler scheduler;

        Firings(Scheduler scheduler) {
            this.scheduler = scheduler;
        }

        @Override
        public void afterSingletonsInstantiated() {
            try {
                scheduler.getListenerManager().addJobListener(this);
            } catch (SchedulerException e) {
                throw new IllegalStateException(e);
            }
        }

        int runs(String work) {
            return counter(work).get();
        }

        AtomicInteger counter(String work) {
            return runs.computeIfAbsent(work, w -> new AtomicInteger());
        }

        List<Firing> of(String schedule) {
            return fired.stream().filter(f -> f.schedule().equals(schedule)).toList();
        }

        @Override
        public String getName() {
            return "test-firings";
        }

        @Override
        public void jobToBeExecuted(JobExecutionContext context) {}

        @Override
        public void jobExecutionVetoed(JobExecutionContext context) {}

        @Override
        public void jobWasExecuted(JobExecutionContext context, JobExecutionException failure) {
            try {
                fired.add(new Firing(
                        context.getJobDetail().getKey().getName(),
                        context.getScheduledFireTime().toInstant(),
                        context.getScheduler().getSchedulerInstanceId()));
            } catch (SchedulerException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Bean
    Firings firings(Scheduler scheduler) {
        return new Firings(scheduler);
    }

    /** Gone with {@code test.works.enabled=false}: a schedule whose work no longer exists. */
    @Bean
    @ConditionalOnBooleanProperty(name = "test.works.enabled", matchIfMissing = true)
    ScheduledWork testTick(Firings firings) {
        return counting(firings, "testTick", Misfire.RUN_ONCE_NOW);
    }

    @Bean
    ScheduledWork testManual(Firings firings) {
        return counting(firings, "testManual", Misfire.RUN_ONCE_NOW);
    }

    @Bean
    ScheduledWork testCatchUp(Firings firings) {
        return counting(firings, "testCatchUp", Misfire.RUN_ONCE_NOW);
    }

    @Bean
    ScheduledWork testOnTime(Firings firings) {
        return counting(firings, "testOnTime", Misfire.WAIT_FOR_NEXT);
    }

    private static ScheduledWork counting(Firings firings, String name, Misfire misfire) {
        return new ScheduledWork(
                name,
                "counts its runs (" + name + ")",
                FAR,
                misfire,
                () -> firings.counter(name).incrementAndGet());
    }
}

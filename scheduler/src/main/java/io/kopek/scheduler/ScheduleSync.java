package io.kopek.scheduler;

import static io.kopek.scheduler.Schedules.quartz;

import io.kopek.calendar.BusinessCalendar;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.schedule.ScheduledWork;
import java.time.ZoneId;
import java.util.Map;
import org.quartz.CronTrigger;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.quartz.Trigger.TriggerState;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * At a scheduler process's start, before its scheduler starts: every {@link ScheduledWork} of the process becomes a
 * durable job with a cron trigger. A schedule seen for the first time gets its default cron
 * ({@code kopek.scheduler.schedules.<name>.cron}, else the work's own); one already in the database keeps what
 * operators set (its cron, paused or not) and only follows the code's description, misfire policy and the business
 * time zone; a schedule whose work no longer exists is removed. One transaction under Quartz's trigger lock, so two
 * processes starting together do this one after the other.
 */
@Component
@ConditionalOnRole(Role.SCHEDULER)
class ScheduleSync implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(ScheduleSync.class);
    /** Quartz's column for a job's description is {@code varchar(250)}. */
    private static final int MAX_DESCRIPTION = 250;

    private final Scheduler quartz;
    private final Works works;
    private final SchedulerProperties properties;
    private final ZoneId zone;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    ScheduleSync(
            Scheduler quartz,
            Works works,
            SchedulerProperties properties,
            BusinessCalendar calendar,
            JdbcClient jdbc,
            TransactionTemplate transactions) {
        this.quartz = quartz;
        this.works = works;
        this.properties = properties;
        this.zone = calendar.zone();
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Map<String, ScheduledWork> all = works.all();
        for (ScheduledWork work : all.values()) {
            if (work.description().length() > MAX_DESCRIPTION) {
                throw new IllegalStateException(
                        "the description of schedule " + work.name() + " is longer than " + MAX_DESCRIPTION);
            }
            Schedules.parse(defaultCron(work));
        }
        // Quartz would insert its lock rows on first use, inside the transaction below; two processes starting at
        // once would then both insert them, and the loser's transaction would be aborted.
        String cluster = quartz(quartz::getSchedulerName);
        jdbc.sql("insert into qrtz_locks (sched_name, lock_name) values (?, 'TRIGGER_ACCESS'), (?, 'STATE_ACCESS')"
                        + " on conflict do nothing")
                .params(cluster, cluster)
                .update();
        transactions.executeWithoutResult(tx -> quartz(() -> {
            for (ScheduledWork work : all.values()) {
                sync(work);
            }
            for (JobKey key : quartz.getJobKeys(GroupMatcher.jobGroupEquals(Schedules.GROUP))) {
                if (!all.containsKey(key.getName())) {
                    quartz.deleteJob(key);
                    log.info("schedule {} removed: no work of that name any more", key.getName());
                }
            }
            return null;
        }));
    }

    private void sync(ScheduledWork work) throws org.quartz.SchedulerException {
        String name = work.name();
        String defaultCron = defaultCron(work);
        quartz.addJob(Schedules.job(work, defaultCron), true);
        Trigger existing = quartz.getTrigger(Schedules.triggerKey(name));
        if (existing == null) {
            quartz.scheduleJob(Schedules.trigger(name, defaultCron, work.misfire(), zone));
            log.info("schedule {} created: {} ({})", name, defaultCron, zone.getId());
            return;
        }
        if (existing instanceof CronTrigger cron
                && cron.getMisfireInstruction() == Schedules.misfireInstruction(work.misfire())
                && cron.getTimeZone().getID().equals(zone.getId())) {
            return;
        }
        String cron = existing instanceof CronTrigger c ? c.getCronExpression() : defaultCron;
        boolean paused = quartz.getTriggerState(existing.getKey()) == TriggerState.PAUSED;
        quartz.rescheduleJob(existing.getKey(), Schedules.trigger(name, cron, work.misfire(), zone));
        if (paused) {
            quartz.pauseTrigger(existing.getKey());
        }
        log.info("schedule {} now follows misfire policy {} in {}", name, work.misfire(), zone.getId());
    }

    private String defaultCron(ScheduledWork work) {
        return properties.defaultCron(work.name()).orElse(work.defaultCron());
    }
}

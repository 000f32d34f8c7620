package io.kopek.scheduler;

import io.kopek.api.ApiPrincipal;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.errors.KopekException;
import io.kopek.schedule.ScheduledWork;
import io.kopek.schedule.ScheduledWork.Misfire;
import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.Trigger.TriggerState;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The cluster's schedules: read, and changed by people (cron, pause, resume, fire once now), each change in the audit
 * log before it is made. Works in every process with this module, the scheduler started or not: Quartz keeps the
 * schedules in the database, and a change is made in the caller's transaction (Quartz's job store joins it), so an
 * API request and its {@code Idempotency-Key} record commit it together; the cluster's running schedulers see it at
 * their next look ({@code kopek.scheduler.idle-wait} at the latest).
 */
@Service
public class Schedules {

    static final String GROUP = "schedules";
    static final String DEFAULT_CRON = "defaultCron";
    static final String MISFIRE = "misfire";
    /** Quartz's column for a cron expression is {@code varchar(120)}. */
    private static final int MAX_CRON = 120;

    private final Scheduler quartz;
    private final AuditLog audit;
    private final ZoneId zone;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    Schedules(
            Scheduler quartz,
            AuditLog audit,
            BusinessCalendar calendar,
            JdbcClient jdbc,
            TransactionTemplate transactions) {
        this.quartz = quartz;
        this.audit = audit;
        this.zone = calendar.zone();
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** Every schedule, by name. */
    public List<Schedule> list() {
        return quartz(() -> quartz.getJobKeys(GroupMatcher.jobGroupEquals(GROUP)).stream()
                .map(JobKey::getName)
                .sorted(Comparator.naturalOrder())
                .map(this::view)
                .toList());
    }

    /** One schedule; unknown: a 404. */
    public Schedule get(String name) {
        return view(name);
    }

    /** A new cron for the schedule, kept across restarts; a paused schedule stays paused. */
    public Schedule changeCron(ApiPrincipal who, String name, String cron, String reason) {
        CronExpression expression = parse(cron);
        return transactions.execute(tx -> {
            CronTrigger current = existing(name);
            audit.record(
                    who,
                    AuditAction.SCHEDULE_CHANGED,
                    name,
                    Map.of("cron", expression.getCronExpression(), "previous_cron", current.getCronExpression()),
                    reason);
            boolean paused = paused(name);
            quartz(() -> {
                quartz.rescheduleJob(
                        current.getKey(), trigger(name, expression.getCronExpression(), misfireOf(name), zone));
                if (paused) {
                    quartz.pauseTrigger(current.getKey());
                }
                return null;
            });
            return view(name);
        });
    }

    /** No firing until resumed (a firing under way finishes). */
    public Schedule pause(ApiPrincipal who, String name, String reason) {
        return act(who, name, AuditAction.SCHEDULE_PAUSED, reason, () -> quartz.pauseTrigger(triggerKey(name)));
    }

    /** Fires again on its cron; a firing missed while paused follows the schedule's misfire policy. */
    public Schedule resume(ApiPrincipal who, String name, String reason) {
        return act(who, name, AuditAction.SCHEDULE_RESUMED, reason, () -> quartz.resumeTrigger(triggerKey(name)));
    }

    /**
     * Fires the work once now, on whichever scheduler process of the cluster takes it (paused or not; after a firing
     * under way, never beside it).
     */
    public Schedule trigger(ApiPrincipal who, String name, String reason) {
        return act(who, name, AuditAction.SCHEDULE_TRIGGERED, reason, () -> quartz.triggerJob(jobKey(name)));
    }

    @FunctionalInterface
    private interface QuartzAction {
        void run() throws SchedulerException;
    }

    /** An operator's action on an existing schedule: audited first, then done, in the caller's transaction. */
    private Schedule act(ApiPrincipal who, String name, AuditAction action, String reason, QuartzAction change) {
        return transactions.execute(tx -> {
            existing(name);
            audit.record(who, action, name, Map.of(), reason);
            quartz(() -> {
                change.run();
                return null;
            });
            return view(name);
        });
    }

    /** A cron expression Quartz takes and that fires again some day; anything else is a 400 {@code invalid-cron}. */
    static CronExpression parse(String cron) {
        if (cron == null || cron.isBlank()) {
            throw KopekException.malformed("invalid-cron", "cron: a Quartz cron expression is required");
        }
        String text = cron.strip();
        if (text.length() > MAX_CRON) {
            throw KopekException.malformed("invalid-cron", "cron: at most " + MAX_CRON + " characters");
        }
        CronExpression expression;
        try {
            expression = new CronExpression(text);
        } catch (ParseException e) {
            throw KopekException.malformed(
                    "invalid-cron",
                    "cron " + text + " is no Quartz cron expression (seconds minutes hours day-of-month month"
                            + " day-of-week [year], one of the days ?): " + e.getMessage());
        }
        if (expression.getNextValidTimeAfter(new Date()) == null) {
            throw KopekException.malformed("invalid-cron", "cron " + text + " never fires again");
        }
        return expression;
    }

    static JobKey jobKey(String name) {
        return JobKey.jobKey(name, GROUP);
    }

    static TriggerKey triggerKey(String name) {
        return TriggerKey.triggerKey(name, GROUP);
    }

    /** The durable job of a work: what people read about it, its default cron and misfire policy as job data. */
    static JobDetail job(ScheduledWork work, String defaultCron) {
        return JobBuilder.newJob(ScheduledWorkJob.class)
                .withIdentity(jobKey(work.name()))
                .withDescription(work.description())
                .usingJobData(DEFAULT_CRON, defaultCron)
                .usingJobData(MISFIRE, work.misfire().name())
                .storeDurably()
                .build();
    }

    /**
     * The cron trigger of a schedule, in the business time zone. A firing missed by more than the misfire threshold:
     * RUN_ONCE_NOW fires once at once however many were missed ("fire and proceed"), WAIT_FOR_NEXT waits for the next
     * regular one ("do nothing").
     */
    static CronTrigger trigger(String name, String cron, Misfire misfire, ZoneId zone) {
        CronScheduleBuilder schedule = CronScheduleBuilder.cronSchedule(cron).inTimeZone(TimeZone.getTimeZone(zone));
        schedule = switch (misfire) {
            case RUN_ONCE_NOW -> schedule.withMisfireHandlingInstructionFireAndProceed();
            case WAIT_FOR_NEXT -> schedule.withMisfireHandlingInstructionDoNothing();
        };
        return TriggerBuilder.newTrigger()
                .withIdentity(triggerKey(name))
                .forJob(jobKey(name))
                .withSchedule(schedule)
                .build();
    }

    static int misfireInstruction(Misfire misfire) {
        return switch (misfire) {
            case RUN_ONCE_NOW -> CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW;
            case WAIT_FOR_NEXT -> CronTrigger.MISFIRE_INSTRUCTION_DO_NOTHING;
        };
    }

    private CronTrigger existing(String name) {
        Trigger trigger = quartz(() -> quartz.getTrigger(triggerKey(name)));
        if (trigger instanceof CronTrigger cron) {
            return cron;
        }
        throw KopekException.notFound("schedule", name);
    }

    private Misfire misfireOf(String name) {
        JobDetail job = quartz(() -> quartz.getJobDetail(jobKey(name)));
        return Misfire.valueOf(job.getJobDataMap().getString(MISFIRE));
    }

    private boolean paused(String name) {
        TriggerState state = quartz(() -> quartz.getTriggerState(triggerKey(name)));
        return state == TriggerState.PAUSED;
    }

    private Schedule view(String name) {
        JobDetail job = quartz(() -> quartz.getJobDetail(jobKey(name)));
        if (job == null) {
            throw KopekException.notFound("schedule", name);
        }
        Trigger trigger = quartz(() -> quartz.getTrigger(triggerKey(name)));
        CronTrigger cron = trigger instanceof CronTrigger c ? c : null;
        boolean running = jdbc.sql("select exists (select 1 from qrtz_fired_triggers"
                        + " where sched_name = ? and job_name = ? and job_group = ? and state = 'EXECUTING')")
                .params(quartz(quartz::getSchedulerName), name, GROUP)
                .query(Boolean.class)
                .single();
        return new Schedule(
                name,
                job.getDescription(),
                cron == null ? null : cron.getCronExpression(),
                job.getJobDataMap().getString(DEFAULT_CRON),
                cron == null ? zone.getId() : cron.getTimeZone().getID(),
                cron != null && paused(name),
                instant(cron == null ? null : cron.getNextFireTime()),
                instant(cron == null ? null : cron.getPreviousFireTime()),
                Misfire.valueOf(job.getJobDataMap().getString(MISFIRE)),
                running);
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }

    @FunctionalInterface
    interface QuartzCall<T> {
        T call() throws SchedulerException;
    }

    /** Quartz's checked exceptions are the database's failures here: a 500, like any other. */
    static <T> T quartz(QuartzCall<T> call) {
        try {
            return call.call();
        } catch (SchedulerException e) {
            throw new IllegalStateException("the scheduler's store failed: " + e.getMessage(), e);
        }
    }
}

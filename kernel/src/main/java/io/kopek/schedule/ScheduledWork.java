package io.kopek.schedule;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A piece of periodic work a module offers, as a bean in the role that does it (hold expiry, the fiscal push, the
 * daily settlement chain, ...). The scheduler runs it once per firing across every process of the cluster, at its
 * cron expression in the business time zone; operators change the expression, pause and resume it at run time, and
 * what they set is kept in the database, so {@code defaultCron} only applies to a schedule seen for the first time.
 *
 * @param name stable id, also the schedule's name in the API ({@code holdExpiry})
 * @param description what it does, for people
 * @param defaultCron a Quartz cron expression (seconds first: {@code 0 0/10 * * * ?})
 * @param misfire what to do about firings missed while no process could run it
 * @param work what runs; it must be safe to run again (a firing may repeat after a crash)
 */
public record ScheduledWork(String name, String description, String defaultCron, Misfire misfire, Runnable work) {

    private static final Pattern NAME = Pattern.compile("[a-z][A-Za-z0-9]{0,63}");

    public ScheduledWork {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(defaultCron, "defaultCron");
        Objects.requireNonNull(misfire, "misfire");
        Objects.requireNonNull(work, "work");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a schedule's name is camelCase letters and digits: " + name);
        }
    }

    /** What a firing missed while no process ran the scheduler turns into once one does. */
    public enum Misfire {
        /**
         * Run once at once, however many firings were missed: work that drains a backlog (fiscal push, card
         * payment checks, hold expiry), where one run does what the missed ones would have done.
         */
        RUN_ONCE_NOW,
        /**
         * Do nothing until the next regular firing: work bound to its time (a daily check whose next run is soon
         * enough), or work the operator catches up deliberately (the daily chain: missed days are listed and run
         * through catch-up, in date order).
         */
        WAIT_FOR_NEXT
    }
}

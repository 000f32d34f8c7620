package io.kopek.scheduler;

import io.kopek.schedule.ScheduledWork;
import java.time.Instant;

/**
 * A schedule as the cluster keeps it: its cron (the operators' or, until they change it, the default), whether it is
 * paused, when it fires next and fired last, and whether its work is running now on any process.
 */
public record Schedule(
        String name,
        String description,
        String cron,
        String defaultCron,
        String timeZone,
        boolean paused,
        Instant nextFireAt,
        Instant previousFireAt,
        ScheduledWork.Misfire misfire,
        boolean running) {}

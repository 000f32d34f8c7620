package io.kopek.scheduler;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kopek.scheduler.*}: Quartz in a cluster of scheduler processes sharing one database.
 *
 * @param clusterName the processes that share this name share the schedules (Quartz's scheduler name, the
 *     {@code sched_name} of its tables); one installation has one
 * @param instanceId this process's id in the cluster, unique among them (a pod's name); {@code AUTO}: host name and
 *     start time
 * @param threads how many schedules may run at once in this process (a firing holds a thread until its work ends:
 *     a job run is waited for, so that runs of a job never pile up)
 * @param checkinInterval how often a process tells the others it is alive; one silent for longer is taken for dead
 *     and what it was running is recovered by another
 * @param misfireThreshold a firing later than this (no process was running, or every thread was busy) is a misfire
 *     and follows its schedule's policy; one less late simply runs late
 * @param idleWait how long a process waits before looking again when no firing is due; also how soon a change made
 *     by another process (a new cron, a trigger) is seen at the latest
 * @param schedules per schedule name, the cron a schedule gets when it is first seen (instead of its work's own
 *     default); once a schedule exists its cron is changed through the API and kept in the database
 */
@ConfigurationProperties("kopek.scheduler")
public record SchedulerProperties(
        @DefaultValue("kopek") String clusterName,
        @DefaultValue("AUTO") String instanceId,
        @DefaultValue("10") int threads,
        @DefaultValue("15s") Duration checkinInterval,
        @DefaultValue("1m") Duration misfireThreshold,
        @DefaultValue("10s") Duration idleWait,
        Map<String, ScheduleDefaults> schedules) {

    public SchedulerProperties {
        schedules = schedules == null ? Map.of() : Map.copyOf(schedules);
        if (threads < 1) {
            throw new IllegalArgumentException("kopek.scheduler.threads must be at least 1");
        }
    }

    /** @param cron the first cron of the schedule, instead of its work's default (Quartz syntax, seconds first) */
    public record ScheduleDefaults(String cron) {}

    /** The configured first cron of a schedule; map keys may come lower-cased or dashed (environment variables). */
    Optional<String> defaultCron(String schedule) {
        return schedules.entrySet().stream()
                .filter(e -> relaxed(e.getKey()).equals(relaxed(schedule)))
                .map(e -> e.getValue().cron())
                .filter(c -> c != null && !c.isBlank())
                .findFirst();
    }

    private static String relaxed(String name) {
        return name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }
}

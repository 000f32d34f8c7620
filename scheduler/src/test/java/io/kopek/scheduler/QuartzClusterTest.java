package io.kopek.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kopek.SchedulerTestApplication;
import io.kopek.api.ApiPrincipal;
import io.kopek.api.ApiRole;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Scheduler processes of one cluster as application contexts of their own in this JVM, each with its instance id,
 * over the test run's database (the real store, the real cluster protocol): each fire time runs once in the cluster,
 * missed firings follow their policy, what operators set survives a restart, and only the scheduler role starts
 * Quartz. Each test is a cluster of its own (its name), so no other context of this JVM takes its firings.
 */
class QuartzClusterTest {

    private static final ApiPrincipal OPERATOR = new ApiPrincipal(1, ApiRole.OPERATOR, null, "cluster test");
    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

    private final String cluster = "cluster-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<ConfigurableApplicationContext> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.reversed().forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void twoInstancesFireEachFireTimeOfAScheduleExactlyOnce() {
        // A firing late on a loaded machine keeps its fire time (no misfire within a minute), so the fire times are
        // exactly the seconds of the cron.
        String[] everySecond = {
            "kopek.scheduler.schedules.testTick.cron=0/1 * * * * ?", "kopek.scheduler.misfire-threshold=1m"
        };
        ConfigurableApplicationContext a = start("node-a", everySecond);
        ConfigurableApplicationContext b = start("node-b", everySecond);

        await().atMost(Duration.ofSeconds(60))
                .until(() -> firings(a).of("testTick").size()
                                + firings(b).of("testTick").size()
                        >= 12);
        a.getBean(Schedules.class).pause(OPERATOR, "testTick", "end of the test");
        sleep(Duration.ofSeconds(2));

        List<TestWorks.Firings.Firing> all = new ArrayList<>(firings(a).of("testTick"));
        all.addAll(firings(b).of("testTick"));
        Map<Instant, List<String>> byFireTime = all.stream()
                .collect(Collectors.groupingBy(
                        TestWorks.Firings.Firing::scheduledFor,
                        Collectors.mapping(TestWorks.Firings.Firing::instance, Collectors.toList())));
        assertThat(byFireTime)
                .as("each fire time ran by one instance only")
                .allSatisfy((at, instances) -> assertThat(instances).hasSize(1));
        assertThat(all).extracting(TestWorks.Firings.Firing::instance).isSubsetOf("node-a", "node-b");
        assertThat(firings(a).runs("testTick") + firings(b).runs("testTick"))
                .as("the work ran once per firing")
                .isEqualTo(all.size());
        List<Instant> times = byFireTime.keySet().stream().sorted().toList();
        assertThat(times).allSatisfy(t -> assertThat(t.getNano()).isZero());
        assertThat(Duration.between(times.getFirst(), times.getLast()).toSeconds())
                .as("no fire time skipped between the first and the last")
                .isEqualTo(times.size() - 1);
    }

    @Test
    void aFiringMissedWhileNoInstanceRanRunsOnceAtOnceOrWaitsForTheNextByItsPolicy() {
        ConfigurableApplicationContext a = start("node-a");
        // Daily at a second a few seconds from now (business zone), then no instance runs past it.
        ZonedDateTime at = ZonedDateTime.now(MOSCOW).plusSeconds(8);
        String daily = at.getSecond() + " " + at.getMinute() + " " + at.getHour() + " * * ?";
        Schedules schedules = a.getBean(Schedules.class);
        schedules.changeCron(OPERATOR, "testCatchUp", daily, "misfire test");
        schedules.changeCron(OPERATOR, "testOnTime", daily, "misfire test");
        a.close();
        sleep(Duration.between(Instant.now(), at.toInstant().plusSeconds(3)));

        ConfigurableApplicationContext b = start("node-b");

        await().atMost(Duration.ofSeconds(30)).until(() -> firings(b).runs("testCatchUp") == 1);
        sleep(Duration.ofSeconds(3));
        assertThat(firings(b).runs("testCatchUp"))
                .as("RUN_ONCE_NOW: once, at once")
                .isEqualTo(1);
        assertThat(firings(b).runs("testOnTime")).as("WAIT_FOR_NEXT: not now").isZero();
        Schedule onTime = b.getBean(Schedules.class).get("testOnTime");
        assertThat(onTime.nextFireAt()).isEqualTo(at.plusDays(1).withNano(0).toInstant());
        assertThat(b.getBean(Schedules.class).get("testCatchUp").nextFireAt())
                .isEqualTo(at.plusDays(1).withNano(0).toInstant());
    }

    @Test
    void whatOperatorsSetSurvivesARestartAndIsInTheAuditLog() {
        ConfigurableApplicationContext a = start("node-a");
        Schedules schedules = a.getBean(Schedules.class);
        schedules.changeCron(OPERATOR, "testTick", "0 15 10 * * ?", "quarter past ten");
        schedules.pause(OPERATOR, "testManual", "until the provider is back");
        a.close();

        ConfigurableApplicationContext b = start("node-b", "kopek.scheduler.schedules.testTick.cron=0 0 12 * * ?");

        Schedules after = b.getBean(Schedules.class);
        assertThat(after.get("testTick").cron()).as("not the default").isEqualTo("0 15 10 * * ?");
        assertThat(after.get("testTick").defaultCron()).isEqualTo("0 0 12 * * ?");
        assertThat(after.get("testManual").paused()).isTrue();
        assertThat(after.get("testOnTime").paused()).isFalse();
        List<AuditEntry> audit = b.getBean(AuditLog.class).list(0, 100, null, null, null);
        assertThat(audit)
                .filteredOn(e -> e.target().equals("testTick") && e.action() == AuditAction.SCHEDULE_CHANGED)
                .first()
                .satisfies(e -> {
                    assertThat(e.actor()).isEqualTo("key:cluster test");
                    assertThat(e.reason()).isEqualTo("quarter past ten");
                    assertThat(e.details()).containsEntry("cron", "0 15 10 * * ?");
                });
        assertThat(audit)
                .filteredOn(e -> e.target().equals("testManual") && e.action() == AuditAction.SCHEDULE_PAUSED)
                .first()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("until the provider is back"));
    }

    @Test
    void aScheduleWhoseWorkIsGoneIsRemovedAtStart() {
        ConfigurableApplicationContext a = start("node-a");
        assertThat(jobs(a)).contains("testTick");
        a.close();

        ConfigurableApplicationContext b = start("node-b", "test.works.enabled=false");

        assertThat(jobs(b)).doesNotContain("testTick").contains("holdExpiry", "testManual");
    }

    @Test
    void withoutTheSchedulerRoleQuartzDoesNotStartButSchedulesCanBeChanged() throws Exception {
        ConfigurableApplicationContext scheduler = start("node-a");
        scheduler.close();

        ConfigurableApplicationContext api = start("api-only", "kopek.roles=api,batch");

        Scheduler quartz = api.getBean(Scheduler.class);
        assertThat(quartz.isStarted()).isFalse();
        assertThat(api.getBeansOfType(ScheduleSync.class)).isEmpty();
        JdbcClient jdbc = api.getBean(JdbcClient.class);
        assertThat(jdbc.sql("select count(*) from qrtz_scheduler_state where sched_name = ? and instance_name = ?")
                        .params(cluster, "api-only")
                        .query(Integer.class)
                        .single())
                .isZero();
        Schedule paused = api.getBean(Schedules.class).pause(OPERATOR, "testTick", "from an API process");
        assertThat(paused.paused()).isTrue();
    }

    @Test
    void theSchedulerRoleWithoutTheBatchRoleDoesNotStart() {
        assertThatThrownBy(() -> start("lonely", "kopek.roles=api,scheduler"))
                .hasRootCauseInstanceOf(InvalidConfigurationPropertyValueException.class)
                .rootCause()
                .hasMessageContaining("kopek.roles")
                .hasMessageContaining("needs the batch role");
    }

    private ConfigurableApplicationContext start(String instance, String... properties) {
        List<String> all = new ArrayList<>(List.of(
                "server.port=0",
                "spring.main.banner-mode=off",
                "kopek.scheduler.cluster-name=" + cluster,
                "kopek.scheduler.instance-id=" + instance,
                "kopek.scheduler.idle-wait=1s",
                "kopek.scheduler.misfire-threshold=1s",
                "kopek.scheduler.checkin-interval=2s"));
        all.addAll(List.of(properties));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(
                        SchedulerTestApplication.class, TestWorks.class)
                .properties(all.toArray(String[]::new))
                .run();
        started.add(context);
        return context;
    }

    private static TestWorks.Firings firings(ConfigurableApplicationContext context) {
        return context.getBean(TestWorks.Firings.class);
    }

    private List<String> jobs(ConfigurableApplicationContext context) {
        return context.getBean(JdbcClient.class)
                .sql("select job_name from qrtz_job_details where sched_name = ?")
                .param(cluster)
                .query(String.class)
                .list();
    }

    private static void sleep(Duration duration) {
        if (duration.isNegative()) {
            return;
        }
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

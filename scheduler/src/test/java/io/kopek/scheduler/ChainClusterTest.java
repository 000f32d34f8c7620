package io.kopek.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kopek.SchedulerTestApplication;
import io.kopek.batch.JobRun;
import io.kopek.batch.Jobs;
import io.kopek.batch.chain.Chain;
import io.kopek.batch.chain.MissedDay;
import io.kopek.batch.chain.SettlementChains;
import io.kopek.sandbox.acme.AcmeRegistry;
import io.kopek.sandbox.registry.Settled;
import io.kopek.sandbox.registry.WrittenRegistry;
import io.kopek.sandbox.sftp.SftpSimulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of the platform (application contexts with their own instance ids, in one Quartz cluster) over one
 * database and one provider's SFTP server: the daily chain's schedule, firing every two seconds on both, runs
 * yesterday's chain once, each of its steps once; and the days missed during an outage, caught up by both instances
 * at the same moment, run once each.
 */
class ChainClusterTest {

    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
    private static final LocalDate YESTERDAY = LocalDate.now(MOSCOW).minusDays(1);

    private final String cluster = "chains-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<ConfigurableApplicationContext> started = new ArrayList<>();
    private SftpSimulator sftp;
    private Path outbox;

    @AfterEach
    void stop() {
        started.reversed().forEach(ConfigurableApplicationContext::close);
        if (sftp != null) {
            sftp.close();
        }
    }

    @Test
    void theDailyChainRunsOnceAcrossTwoInstancesAndMissedDaysAreCaughtUpOnce() throws Exception {
        Path root = Files.createTempDirectory("cluster-sftp");
        outbox = Files.createDirectories(root.resolve("outbox"));
        sftp = SftpSimulator.serving(root).user("kopek", "secret").start();
        LocalDate outage1 = YESTERDAY.minusDays(2), outage2 = YESTERDAY.minusDays(1);
        for (LocalDate day : List.of(outage1, outage2, YESTERDAY)) {
            deliver(day);
        }

        ConfigurableApplicationContext a = start("node-a");
        ConfigurableApplicationContext b = start("node-b");
        SettlementChains chains = a.getBean(SettlementChains.class);

        // The schedule fires every two seconds somewhere in the cluster; yesterday runs once, then is left alone.
        await().atMost(Duration.ofMinutes(3))
                .until(() -> chainsOf(chains, YESTERDAY).stream().anyMatch(c -> c.state() == Chain.State.COMPLETED));
        Thread.sleep(6_000); // three more firings at least
        assertThat(chainsOf(chains, YESTERDAY)).singleElement().satisfies(c -> {
            assertThat(c.trigger()).isEqualTo(Chain.Trigger.SCHEDULE);
            assertThat(c.steps()).allSatisfy(s -> assertThat(s.state()).isEqualTo(Chain.StepState.COMPLETED));
        });
        Jobs jobs = a.getBean(Jobs.class);
        assertThat(runsOf(jobs, "reconciliation", YESTERDAY))
                .as("reconciled once")
                .hasSize(1);

        // Both instances are asked to catch up at the same moment: each missed day runs once, in date order.
        assertThat(chains.missed("acme")).extracting(MissedDay::businessDate).containsExactly(outage1, outage2);
        a.getBean(Schedules.class)
                .pause(new io.kopek.api.ApiPrincipal(1, io.kopek.api.ApiRole.OPERATOR, null, "test"), "dailyChain", "");
        CyclicBarrier together = new CyclicBarrier(2);
        List<Thread> catchUps = new ArrayList<>();
        for (ConfigurableApplicationContext node : List.of(a, b)) {
            catchUps.add(Thread.ofVirtual().start(() -> {
                try {
                    together.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                node.getBean(SettlementChains.class).catchUp("acme");
            }));
        }
        for (Thread t : catchUps) {
            t.join();
        }
        await().atMost(Duration.ofMinutes(4))
                .until(() -> chains.missed("acme").isEmpty()
                        && chainsOf(chains, outage2).stream().noneMatch(Chain::running));
        for (LocalDate day : List.of(outage1, outage2)) {
            assertThat(chainsOf(chains, day))
                    .as(day + " ran once")
                    .singleElement()
                    .satisfies(c -> {
                        assertThat(c.trigger()).isEqualTo(Chain.Trigger.CATCH_UP);
                        assertThat(c.state()).isEqualTo(Chain.State.COMPLETED);
                    });
            assertThat(runsOf(jobs, "reconciliation", day))
                    .as(day + " reconciled once")
                    .hasSize(1);
        }
        assertThat(chainsOf(chains, outage1).getFirst().startedAt())
                .as("in date order")
                .isBefore(chainsOf(chains, outage2).getFirst().startedAt());
        assertThat(runsOf(jobs, "registryImport", null))
                .as("each registry file imported once")
                .hasSize(3);
    }

    private static List<Chain> chainsOf(SettlementChains chains, LocalDate day) {
        return chains.list("acme", day, day, 0, 100);
    }

    private static List<JobRun> runsOf(Jobs jobs, String job, LocalDate day) {
        return jobs.runs(job, 200).stream()
                .filter(r -> "acme".equals(r.parameters().get("provider")))
                .filter(r -> day == null || day.toString().equals(r.parameters().get("businessDate")))
                .toList();
    }

    /** Acme writes its registry of the day aside and moves it onto its server in whole. */
    private void deliver(LocalDate day) throws IOException {
        List<Settled> settled = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String id = "cl-" + cluster + "-" + day + "-" + i;
            settled.add(new Settled(
                    id,
                    id,
                    null,
                    Settled.Kind.PAYMENT,
                    500_00 + i,
                    7_50,
                    day.atTime(12, 0).atZone(AcmeRegistry.ZONE).toInstant().plusSeconds(i),
                    null,
                    "Order " + i));
        }
        WrittenRegistry written =
                AcmeRegistry.write(settled, day, Files.createTempDirectory("acme-registry"), Set.of());
        Files.move(written.path(), outbox.resolve(written.fileName()), StandardCopyOption.ATOMIC_MOVE);
    }

    private ConfigurableApplicationContext start(String instance) throws IOException {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SchedulerTestApplication.class)
                .properties(
                        "server.port=0",
                        "spring.main.banner-mode=off",
                        "spring.config.import=classpath:io/kopek/sandbox/acme/acme-processing.yml",
                        "kopek.generic-processors.acme.base-url=http://127.0.0.1:9/api/",
                        "kopek.scheduler.cluster-name=" + cluster,
                        "kopek.scheduler.instance-id=" + instance,
                        "kopek.scheduler.idle-wait=1s",
                        "kopek.scheduler.checkin-interval=2s",
                        "kopek.scheduler.schedules.dailyChain.cron=0/2 * * * * ?",
                        "kopek.ingest.staging-directory=" + Files.createTempDirectory("cluster-staging-" + instance),
                        "kopek.ingest.sources.acme.host=" + sftp.host(),
                        "kopek.ingest.sources.acme.port=" + sftp.port(),
                        "kopek.ingest.sources.acme.user=kopek",
                        "kopek.ingest.sources.acme.password=secret",
                        "kopek.ingest.sources.acme.allow-unknown-host-key=true",
                        "kopek.ingest.sources.acme.remote-directory=/outbox",
                        "kopek.batch.chain.since=" + YESTERDAY.minusDays(2),
                        "kopek.batch.chain.reports-timeout=2m")
                .run();
        started.add(context);
        return context;
    }
}

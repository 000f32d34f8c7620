package io.kopek.batch.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kopek.BatchTestApplication;
import io.kopek.batch.JobRun;
import io.kopek.batch.Jobs;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.errors.KopekException;
import io.kopek.report.ReportRunState;
import io.kopek.report.ReportRuns;
import io.kopek.report.ReportType;
import io.kopek.sandbox.acme.AcmeRegistry;
import io.kopek.sandbox.registry.Settled;
import io.kopek.sandbox.registry.Ugliness;
import io.kopek.sandbox.registry.WrittenRegistry;
import io.kopek.sandbox.sftp.SftpSimulator;
import io.kopek.schedule.ScheduledWork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The daily settlement chain against the sandbox: Acme's settlement registries (the sandbox writes them, the generic
 * processor's parser reads them) on a real SFTP server, the real jobs, the real report generation. Days are counted
 * back from yesterday, each test with days of its own; {@code since} makes the last six days the ones owed.
 */
@SpringBootTest(
        classes = BatchTestApplication.class,
        properties = {
            "spring.config.import=classpath:io/kopek/sandbox/acme/acme-processing.yml",
            "kopek.generic-processors.acme.base-url=http://127.0.0.1:9/api/",
            "kopek.batch.chain.reports-timeout=2m"
        })
class SettlementChainsTest {

    static final Duration TIMEOUT = Duration.ofMinutes(3);
    static final LocalDate YESTERDAY = LocalDate.now(ZoneId.of("Europe/Moscow")).minusDays(1);
    static final Path outbox;
    static final SftpSimulator sftp;

    static {
        try {
            Path root = Files.createTempDirectory("chain-sftp");
            outbox = Files.createDirectories(root.resolve("outbox"));
            sftp = SftpSimulator.serving(root).user("kopek", "secret").start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void server(DynamicPropertyRegistry p) throws IOException {
        Path staging = Files.createTempDirectory("chain-staging");
        p.add("kopek.ingest.staging-directory", staging::toString);
        p.add("kopek.ingest.sources.acme.host", sftp::host);
        p.add("kopek.ingest.sources.acme.port", sftp::port);
        p.add("kopek.ingest.sources.acme.user", () -> "kopek");
        p.add("kopek.ingest.sources.acme.password", () -> "secret");
        p.add("kopek.ingest.sources.acme.allow-unknown-host-key", () -> "true");
        p.add("kopek.ingest.sources.acme.remote-directory", () -> "/outbox");
        // a provider whose server is down: nothing listens on port 9
        p.add("kopek.ingest.sources.down.host", () -> "127.0.0.1");
        p.add("kopek.ingest.sources.down.port", () -> "9");
        p.add("kopek.ingest.sources.down.user", () -> "kopek");
        p.add("kopek.ingest.sources.down.password", () -> "secret");
        p.add("kopek.ingest.sources.down.allow-unknown-host-key", () -> "true");
        p.add("kopek.batch.chain.since", () -> YESTERDAY.minusDays(5).toString());
    }

    @AfterAll
    static void stop() {
        sftp.close();
    }

    @Autowired
    SettlementChains chains;

    @Autowired
    ChainStore store;

    @Autowired
    Jobs jobs;

    @Autowired
    ReportRuns reportRuns;

    @Autowired
    BusinessCalendar calendar;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    List<ScheduledWork> schedules;

    @Autowired
    io.kopek.batch.BatchWorker worker;

    /** Acme writes its registry of the day aside and moves it onto its server in whole. */
    static WrittenRegistry deliver(LocalDate day, Set<Ugliness> ugliness) throws IOException {
        List<Settled> settled = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = "ch-" + day + "-" + i;
            settled.add(new Settled(
                    id,
                    id,
                    null,
                    Settled.Kind.PAYMENT,
                    1_000_00 + i,
                    15_00,
                    day.atTime(12, 0).atZone(AcmeRegistry.ZONE).toInstant().plusSeconds(i),
                    "427600******1234",
                    "Order " + i));
        }
        WrittenRegistry written =
                AcmeRegistry.write(settled, day, Files.createTempDirectory("acme-registry"), ugliness);
        Files.move(written.path(), outbox.resolve(written.fileName()), StandardCopyOption.ATOMIC_MOVE);
        return written;
    }

    List<JobRun> runsOf(String job, String parameter, String value) {
        return jobs.runs(job, 200).stream()
                .filter(r -> value.equals(r.parameters().get(parameter)))
                .toList();
    }

    @Test
    void aSandboxDayRunsIntakeImportReconciliationAndReportsOnceEachInOrder() throws IOException {
        LocalDate day = YESTERDAY.minusDays(20);
        WrittenRegistry registry = deliver(day, Set.of());

        Chain chain = chains.run("acme", day, Chain.Trigger.MANUAL);

        assertThat(chain.state()).as(chain.error()).isEqualTo(Chain.State.COMPLETED);
        assertThat(chain.steps()).extracting(Chain.Step::step).containsExactly(Chain.StepName.values());
        assertThat(chain.steps()).allSatisfy(s -> assertThat(s.state()).isEqualTo(Chain.StepState.COMPLETED));
        for (int i = 1; i < chain.steps().size(); i++) {
            assertThat(chain.steps().get(i).startedAt())
                    .as("each step starts when the one before it ended")
                    .isAfterOrEqualTo(chain.steps().get(i - 1).endedAt());
        }
        List<JobRun> imports = jobs.runs("registryImport", 200).stream()
                .filter(r -> r.parameters().get("file").endsWith(registry.fileName()))
                .toList();
        assertThat(imports).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo("COMPLETED");
            assertThat(chain.step(Chain.StepName.IMPORT).jobRunId()).isEqualTo(r.id());
        });
        assertThat(runsOf("reconciliation", "businessDate", day.toString()))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.status()).isEqualTo("COMPLETED");
                    assertThat(chain.step(Chain.StepName.RECONCILIATION).jobRunId())
                            .isEqualTo(r.id());
                });
        var reports = reportRuns.list(ReportType.RECONCILIATION, null, 200).stream()
                .filter(r -> day.equals(r.filters().from())
                        && "acme".equals(r.filters().provider()))
                .toList();
        assertThat(reports)
                .as("XLSX and PDF, once each")
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.state()).isEqualTo(ReportRunState.SUCCEEDED));
        assertThat(chain.step(Chain.StepName.REPORTS).jobRunId()).isNotNull();
        assertThat(outbox.resolve("processed").resolve(registry.fileName())).exists();
        assertThat(chains.list("acme", day, day, 0, 10)).extracting(Chain::id).containsExactly(chain.id());
    }

    @Test
    void aDayWhoseRegistryNeverArrivedFailsAtTheImportAndGoesNoFurther() {
        LocalDate day = YESTERDAY.minusDays(21);

        Chain chain = chains.run("acme", day, Chain.Trigger.MANUAL);

        assertThat(chain.state()).isEqualTo(Chain.State.FAILED);
        assertThat(chain.error()).isEqualTo("import: no registry for " + day + " from acme");
        assertThat(chain.step(Chain.StepName.INTAKE).state()).isEqualTo(Chain.StepState.COMPLETED);
        assertThat(chain.step(Chain.StepName.IMPORT).state()).isEqualTo(Chain.StepState.FAILED);
        assertThat(chain.step(Chain.StepName.RECONCILIATION).state()).isEqualTo(Chain.StepState.SKIPPED);
        assertThat(chain.step(Chain.StepName.REPORTS).state()).isEqualTo(Chain.StepState.SKIPPED);
        assertThat(runsOf("reconciliation", "businessDate", day.toString())).isEmpty();
    }

    @Test
    void aQuarantinedRegistryFailsTheChainWithItsReason() throws IOException {
        LocalDate day = YESTERDAY.minusDays(22);
        WrittenRegistry truncated = deliver(day, Set.of(Ugliness.TRUNCATED));

        Chain chain = chains.run("acme", day, Chain.Trigger.MANUAL);

        assertThat(chain.state()).isEqualTo(Chain.State.FAILED);
        assertThat(chain.error())
                .startsWith("import: no registry for " + day + " from acme: " + truncated.fileName() + " quarantined: ")
                .contains("truncated");
        assertThat(chain.step(Chain.StepName.IMPORT).jobRunId())
                .as("the registryImport run that quarantined it")
                .isNotNull();
        assertThat(jobs.get(chain.step(Chain.StepName.IMPORT).jobRunId()).exitCode())
                .isEqualTo("QUARANTINED");
        assertThat(chain.step(Chain.StepName.RECONCILIATION).state()).isEqualTo(Chain.StepState.SKIPPED);
        assertThat(runsOf("reconciliation", "businessDate", day.toString())).isEmpty();
    }

    @Test
    void aRunningDayIsNotStartedTwiceAndAFutureDayNotAtAll() throws Exception {
        LocalDate day = YESTERDAY.minusDays(23);
        deliver(day, Set.of());

        Chain started = chains.start("acme", day, Chain.Trigger.MANUAL);
        assertThat(started.state()).isEqualTo(Chain.State.RUNNING);
        assertThatThrownBy(() -> chains.start("acme", day, Chain.Trigger.MANUAL))
                .isInstanceOf(KopekException.class)
                .hasMessageContaining("is running");
        assertThat(chains.awaitEnd(started.id(), TIMEOUT).state()).isEqualTo(Chain.State.COMPLETED);
        assertThat(chains.run("acme", day, Chain.Trigger.MANUAL).attempt())
                .as("a completed day may be run again by hand")
                .isEqualTo(2);
        assertThatThrownBy(() -> chains.start("acme", calendar.today().plusDays(2), Chain.Trigger.MANUAL))
                .isInstanceOf(KopekException.class);
        assertThatThrownBy(() -> chains.start("nobody", day, Chain.Trigger.MANUAL))
                .isInstanceOf(KopekException.class);
    }

    /**
     * An outage: the six days owed, three of them without a chain. They show as missed, in date order; two
     * catch-ups asked at once run each of them once, in date order, and then nothing is missed.
     */
    @Test
    void missedDaysOfAnOutageRunOnceEachInDateOrderEvenWhenTwoCatchUpsAreAskedAtOnce() throws Exception {
        for (int back = 5; back >= 0; back--) {
            deliver(YESTERDAY.minusDays(back), Set.of());
        }
        for (int back : new int[] {5, 4, 0}) {
            assertThat(chains.run("acme", YESTERDAY.minusDays(back), Chain.Trigger.SCHEDULE)
                            .state())
                    .isEqualTo(Chain.State.COMPLETED);
        }
        List<LocalDate> outage = List.of(YESTERDAY.minusDays(3), YESTERDAY.minusDays(2), YESTERDAY.minusDays(1));

        List<MissedDay> missed = chains.missed("acme");
        assertThat(missed).extracting(MissedDay::businessDate).containsExactlyElementsOf(outage);
        assertThat(missed.getFirst().steps()).containsExactly(Chain.StepName.values());

        CyclicBarrier together = new CyclicBarrier(2);
        List<Chain> ran = Collections.synchronizedList(new ArrayList<>());
        List<Thread> catchUps = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            catchUps.add(Thread.ofVirtual().start(() -> {
                try {
                    together.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                ran.addAll(chains.catchUpHere("acme", outage));
            }));
        }
        for (Thread t : catchUps) {
            t.join(TIMEOUT);
        }

        assertThat(ran).extracting(Chain::businessDate).containsExactlyInAnyOrderElementsOf(outage);
        List<Chain> ofOutage = new ArrayList<>();
        for (LocalDate day : outage) {
            List<Chain> ofDay = chains.list("acme", day, day, 0, 10);
            assertThat(ofDay).as("one chain of " + day).hasSize(1);
            ofOutage.add(ofDay.getFirst());
        }
        assertThat(ofOutage).allSatisfy(c -> {
            assertThat(c.state()).as(c.error()).isEqualTo(Chain.State.COMPLETED);
            assertThat(c.trigger()).isEqualTo(Chain.Trigger.CATCH_UP);
        });
        for (int i = 1; i < ofOutage.size(); i++) {
            assertThat(ofOutage.get(i).startedAt())
                    .as("in date order")
                    .isAfterOrEqualTo(ofOutage.get(i - 1).endedAt());
        }
        for (LocalDate day : outage) {
            assertThat(runsOf("reconciliation", "businessDate", day.toString())).hasSize(1);
        }
        assertThat(chains.missed("acme")).isEmpty();
        assertThat(chains.runYesterday())
                .as("the schedule leaves a completed day alone")
                .extracting(Chain::provider)
                .doesNotContain("acme");
    }

    @Test
    void aServerThatCannotBeReachedFailsTheChainAtTheIntake() {
        LocalDate day = YESTERDAY.minusDays(30);

        Chain chain = chains.run("down", day, Chain.Trigger.MANUAL);

        assertThat(chain.state()).isEqualTo(Chain.State.FAILED);
        assertThat(chain.error()).startsWith("intake: ").contains("Connection refused");
        assertThat(chain.step(Chain.StepName.INTAKE).state()).isEqualTo(Chain.StepState.FAILED);
        assertThat(chain.step(Chain.StepName.IMPORT).state()).isEqualTo(Chain.StepState.SKIPPED);
    }

    /** A chain left running by a process that died does not hold its day forever: the next claim fails it. */
    @Test
    void aChainWhoseWorkerDiedIsFailedByTheNextClaimOfItsDay() throws IOException {
        LocalDate day = YESTERDAY.minusDays(24);
        deliver(day, Set.of());
        long orphan = jdbc.sql("insert into settlement_chain (provider, business_date, attempt, trigger, state,"
                        + " worker_id) values ('acme', ?, 1, 'schedule', 'running', 2147483000) returning id")
                .param(day)
                .query(Long.class)
                .single();

        assertThat(store.daysCompletedOrRunning("acme", day, day))
                .as("its day counts as missed")
                .isEmpty();

        Chain chain = chains.run("acme", day, Chain.Trigger.MANUAL);

        assertThat(chain.state()).as(chain.error()).isEqualTo(Chain.State.COMPLETED);
        assertThat(chain.attempt()).isEqualTo(2);
        assertThat(store.daysCompletedOrRunning("acme", day, day)).containsExactly(day);
        Chain dead = chains.get(orphan);
        assertThat(dead.state()).isEqualTo(Chain.State.FAILED);
        assertThat(dead.error()).isEqualTo("its batch worker 2147483000 died while it ran");
    }

    /** Nor until its day is claimed again: the chainRecovery schedule fails it within a minute. */
    @Test
    void aChainWhoseWorkerDiedIsFailedByTheRecoverySchedule() {
        LocalDate day = YESTERDAY.minusDays(26);
        long orphan = jdbc.sql("insert into settlement_chain (provider, business_date, attempt, trigger, state,"
                        + " worker_id) values ('acme', ?, 1, 'catch_up', 'running', 2147483001) returning id")
                .param(day)
                .query(Long.class)
                .single();
        jdbc.sql("insert into settlement_chain_step (chain_id, step, position, state) values (?, 'intake', 1,"
                        + " 'completed'), (?, 'import', 2, 'running'), (?, 'reconciliation', 3, 'pending')")
                .params(orphan, orphan, orphan)
                .update();
        long alive = jdbc.sql("insert into settlement_chain (provider, business_date, attempt, trigger, state,"
                        + " worker_id) values ('acme', ?, 1, 'manual', 'running', ?) returning id")
                .params(YESTERDAY.minusDays(27), worker.id())
                .query(Long.class)
                .single();

        schedules.stream()
                .filter(w -> w.name().equals("chainRecovery"))
                .findFirst()
                .orElseThrow()
                .work()
                .run();

        Chain dead = chains.get(orphan);
        assertThat(dead.state()).isEqualTo(Chain.State.FAILED);
        assertThat(dead.error()).isEqualTo("its batch worker 2147483001 died while it ran");
        assertThat(dead.steps())
                .extracting(Chain.Step::state)
                .containsExactly(Chain.StepState.COMPLETED, Chain.StepState.FAILED, Chain.StepState.SKIPPED);
        assertThat(chains.get(alive).state())
                .as("a chain whose worker lives is left alone")
                .isEqualTo(Chain.State.RUNNING);
        jdbc.sql("update settlement_chain set state = 'failed', ended_at = now(), error = 'ended by the test'"
                        + " where id = ?")
                .param(alive)
                .update();
    }

    @Test
    void theDailyScheduleIsDeclaredToWaitForItsNextFiring() {
        assertThat(schedules)
                .filteredOn(w -> w.name().equals("dailyChain"))
                .singleElement()
                .satisfies(w -> {
                    assertThat(w.defaultCron()).isEqualTo("0 0 6 * * ?");
                    assertThat(w.misfire()).isEqualTo(ScheduledWork.Misfire.WAIT_FOR_NEXT);
                });
        assertThat(schedules).extracting(ScheduledWork::name).contains("registryIntakeAcme");
    }
}

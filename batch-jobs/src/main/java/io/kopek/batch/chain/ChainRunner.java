package io.kopek.batch.chain;

import io.kopek.batch.BatchWorker;
import io.kopek.batch.JobRun;
import io.kopek.batch.Jobs;
import io.kopek.batch.report.ReportDispatch;
import io.kopek.batch.settlement.ReconciliationJob;
import io.kopek.batch.settlement.SettlementJobs;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.ingest.RegistryFile;
import io.kopek.ingest.RegistryImport;
import io.kopek.ingest.SftpIntake;
import io.kopek.report.ReportFormat;
import io.kopek.report.ReportRun;
import io.kopek.report.ReportRunState;
import io.kopek.report.ReportRuns;
import io.kopek.report.ReportType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs a claimed chain's steps in order on the calling thread, each when the one before it has ended; the first
 * that fails ends the chain as failed with its reason, and the later steps are skipped. Batch role only: the steps
 * are the intake and the jobs of this process.
 */
@Component
@ConditionalOnRole(Role.BATCH)
class ChainRunner {

    private static final Logger log = LoggerFactory.getLogger(ChainRunner.class);

    /**
     * The reports a reconciled day gets ({@code ReconciliationReports} asks for these from the
     * {@code reconciliation.completed} event; the chain waits for them rather than asking again).
     */
    private static final Set<ReportFormat> DAY_REPORTS = EnumSet.of(ReportFormat.XLSX, ReportFormat.PDF);

    /** Who asks for the reports of a reconciled day ({@code ReconciliationReports}). */
    private static final String REPORTS_REQUESTED_BY = "kopek";

    private static final int MAX_ERROR = 1000;

    private final ChainStore store;
    private final BatchWorker worker;
    private final SftpIntake intake;
    private final SettlementJobs settlement;
    private final RegistryImport imports;
    private final Jobs jobs;
    private final ReportDispatch reportDispatch;
    private final ReportRuns reportRuns;
    private final ChainProperties properties;

    ChainRunner(
            ChainStore store,
            BatchWorker worker,
            SftpIntake intake,
            SettlementJobs settlement,
            RegistryImport imports,
            Jobs jobs,
            ReportDispatch reportDispatch,
            ReportRuns reportRuns,
            ChainProperties properties) {
        this.store = store;
        this.worker = worker;
        this.intake = intake;
        this.settlement = settlement;
        this.imports = imports;
        this.jobs = jobs;
        this.reportDispatch = reportDispatch;
        this.reportRuns = reportRuns;
        this.properties = properties;
    }

    Set<String> providers() {
        return intake.providers();
    }

    ChainStore.Claim claim(String provider, LocalDate day, Chain.Trigger trigger, boolean onlyIfMissed) {
        return store.claim(provider, day, trigger, worker.id(), onlyIfMissed);
    }

    /** Runs the claimed chain to its end and answers it as it ended. */
    Chain execute(Chain chain) {
        log.info(
                "settlement chain {} of {} {} ({}) starts",
                chain.id(),
                chain.provider(),
                chain.businessDate(),
                chain.trigger().code());
        long reportsBefore = 0;
        for (Chain.StepName step : Chain.StepName.values()) {
            store.stepStarted(chain.id(), step);
            Outcome outcome;
            try {
                if (step == Chain.StepName.RECONCILIATION) {
                    // the reports this day's reconciliation will ask for come after every run there is now
                    reportsBefore = latestReportRun();
                }
                outcome = switch (step) {
                    case INTAKE -> intake(chain);
                    case IMPORT -> importTheDay(chain);
                    case RECONCILIATION -> reconcile(chain);
                    case REPORTS -> reports(chain, reportsBefore);
                };
            } catch (RuntimeException e) {
                log.warn("settlement chain {}: {} failed", chain.id(), step.code(), e);
                outcome = Outcome.failed(null, reason(e));
            }
            String error = outcome.error() == null ? null : shortened(outcome.error());
            store.stepEnded(
                    chain.id(),
                    step,
                    outcome.ok() ? Chain.StepState.COMPLETED : Chain.StepState.FAILED,
                    outcome.jobRunId(),
                    error);
            if (!outcome.ok()) {
                store.finish(chain, Chain.State.FAILED, shortened(step.code() + ": " + error));
                log.warn(
                        "settlement chain {} of {} {} failed at {}: {}",
                        chain.id(),
                        chain.provider(),
                        chain.businessDate(),
                        step.code(),
                        error);
                return store.get(chain.id()).orElseThrow();
            }
        }
        store.finish(chain, Chain.State.COMPLETED, null);
        log.info("settlement chain {} of {} {} completed", chain.id(), chain.provider(), chain.businessDate());
        return store.get(chain.id()).orElseThrow();
    }

    /** How a step ended: the job run it was, if any, and why it failed. */
    private record Outcome(boolean ok, Long jobRunId, String error) {
        static Outcome completed(Long jobRunId) {
            return new Outcome(true, jobRunId, null);
        }

        static Outcome failed(Long jobRunId, String error) {
            return new Outcome(false, jobRunId, error);
        }
    }

    private Outcome intake(Chain chain) {
        intake.fetch(chain.provider());
        return Outcome.completed(null);
    }

    /**
     * Every staged file of the provider through {@code registryImport} (whatever its day: a file is imported once,
     * and the next day's chain finds it in); then the day's registry must be in: imported, or the reason it is not.
     */
    private Outcome importTheDay(Chain chain) {
        String provider = chain.provider();
        LocalDate day = chain.businessDate();
        Map<Long, Long> runOfFile = new HashMap<>();
        List<RegistryFile> taken = new ArrayList<>();
        intake.exclusively(provider, () -> {
            for (Path file : intake.staged(provider)) {
                intake.take(provider, file, (p, f) -> {
                            SettlementJobs.Imported imported = settlement.importFile(p, f, properties.stepTimeout());
                            runOfFile.put(imported.file().id(), imported.run().id());
                            return imported.file();
                        })
                        .ifPresent(taken::add);
            }
            return null;
        });
        List<RegistryFile> ofDay = imports.filesOfDay(provider, day);
        RegistryFile imported = ofDay.stream()
                .filter(RegistryFile::imported)
                .reduce((first, last) -> last)
                .orElse(null);
        if (imported != null) {
            return Outcome.completed(runOfFile.get(imported.id()));
        }
        // Quarantined files of the day, and those this step quarantined before their day could be read.
        Map<Long, RegistryFile> quarantined = new LinkedHashMap<>();
        Stream.concat(
                        ofDay.stream(),
                        taken.stream()
                                .filter(f -> f.businessDate() == null
                                        || f.businessDate().equals(day)))
                .filter(RegistryFile::quarantined)
                .forEach(f -> quarantined.put(f.id(), f));
        String none = "no registry for " + day + " from " + provider;
        if (quarantined.isEmpty()) {
            return Outcome.failed(null, none);
        }
        RegistryFile last = quarantined.values().stream().reduce((a, b) -> b).orElseThrow();
        return Outcome.failed(
                runOfFile.get(last.id()),
                none + ": "
                        + quarantined.values().stream()
                                .map(f -> f.name() + " quarantined: " + f.reason())
                                .collect(Collectors.joining("; ")));
    }

    private Outcome reconcile(Chain chain) {
        JobRun run = jobs.run(
                ReconciliationJob.NAME,
                Map.of(
                        "provider",
                        chain.provider(),
                        "businessDate",
                        chain.businessDate().toString()),
                properties.stepTimeout());
        if ("COMPLETED".equals(run.status())) {
            return Outcome.completed(run.id());
        }
        return Outcome.failed(run.id(), ended("reconciliation", run));
    }

    /**
     * The day's reconciliation reports: asked for once, by the {@code reconciliation.completed} event of the run
     * the step before made (queued from the outbox and started by the report dispatch, which this step drives too
     * so as not to wait for its schedule), then waited for until each succeeded or failed. The step links the XLSX
     * report's job run.
     */
    private Outcome reports(Chain chain, long reportsBefore) {
        long deadline = System.nanoTime() + properties.reportsTimeout().toNanos();
        while (true) {
            reportDispatch.dispatch();
            Map<ReportFormat, ReportRun> ours = new HashMap<>();
            for (ReportRun run : reportRuns.list(ReportType.RECONCILIATION, null, 200)) {
                if (run.id() > reportsBefore
                        && REPORTS_REQUESTED_BY.equals(run.requestedBy())
                        && chain.provider().equals(run.filters().provider())
                        && chain.businessDate().equals(run.filters().from())
                        && chain.businessDate().equals(run.filters().to())
                        && DAY_REPORTS.contains(run.format())) {
                    ours.putIfAbsent(run.format(), run); // newest first: the latest of each format
                }
            }
            boolean ended = ours.keySet().containsAll(DAY_REPORTS)
                    && ours.values().stream()
                            .allMatch(r -> r.state() == ReportRunState.SUCCEEDED || r.state() == ReportRunState.FAILED);
            if (ended) {
                Long jobRun = ours.get(ReportFormat.XLSX).jobRunId();
                String failures = ours.values().stream()
                        .filter(r -> r.state() == ReportRunState.FAILED)
                        .map(r -> "report run " + r.id() + " ("
                                + r.format().name().toLowerCase(java.util.Locale.ROOT) + ") failed: " + r.failure())
                        .collect(Collectors.joining("; "));
                return failures.isEmpty() ? Outcome.completed(jobRun) : Outcome.failed(jobRun, failures);
            }
            if (System.nanoTime() > deadline) {
                return Outcome.failed(
                        null,
                        "the day's reconciliation reports did not end within " + properties.reportsTimeout()
                                + " (asked for: " + ours.size() + " of " + DAY_REPORTS.size() + ")");
            }
            sleep(Duration.ofMillis(500));
        }
    }

    /** The exception's message and its root cause's, which says what went wrong ("Connection refused"). */
    static String reason(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e) {
            String cause = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
            if (!message.contains(cause)) {
                message = message + ": " + cause;
            }
        }
        return message;
    }

    private long latestReportRun() {
        return reportRuns.list(null, null, 1).stream()
                .mapToLong(ReportRun::id)
                .max()
                .orElse(0);
    }

    private static String ended(String what, JobRun run) {
        String description =
                run.exitDescription() == null || run.exitDescription().isBlank()
                        ? ""
                        : ": " + run.exitDescription().lines().findFirst().orElse("");
        return what + " run " + run.id() + " ended " + run.status() + description;
    }

    private static String shortened(String text) {
        return text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR - 1) + "…";
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

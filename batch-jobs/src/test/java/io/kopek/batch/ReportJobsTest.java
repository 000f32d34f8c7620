package io.kopek.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kopek.batch.report.ReportDispatch;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.money.Money;
import io.kopek.report.NewReportRun;
import io.kopek.report.ReportFilters;
import io.kopek.report.ReportFormat;
import io.kopek.report.ReportRun;
import io.kopek.report.ReportRunState;
import io.kopek.report.ReportRuns;
import io.kopek.report.ReportSummary;
import io.kopek.report.ReportType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Report runs in the batch role: a queued run is picked up and generated as a {@code reportRun} job run; one that
 * fails keeps its reason and nothing else, and its restart makes the file from the same ledger watermark, so with the
 * figures of its first start whatever was posted since.
 */
class ReportJobsTest extends BatchTest {

    static final Path STORE = Path.of("target", "report-store");

    @Autowired
    ReportRuns runs;

    @Autowired
    BusinessCalendar calendar;

    @Autowired
    ReportDispatch dispatch;

    @AfterEach
    void repairTheStore() throws IOException {
        Path partial = STORE.resolve(".partial");
        if (Files.isRegularFile(partial)) {
            Files.delete(partial);
        }
    }

    @Test
    void aQueuedRunIsGeneratedByTheBatchRoleAndItsFileIsWhatItsHashSays() throws Exception {
        customerWithTopUps(3);

        ReportRun run = runs.request(turnover(ReportFormat.XLSX), "test accountant");
        ReportRun done = awaitEnd(run.id());

        assertThat(done.state()).as(done.failure()).isEqualTo(ReportRunState.SUCCEEDED);
        assertThat(done.jobRunId()).isNotNull();
        assertThat(jobs.get(done.jobRunId()).status()).isEqualTo("COMPLETED");
        assertThat(done.rowCount()).isPositive();
        assertThat(done.watermark()).isPositive();
        var file = runs.file(run.id());
        assertThat(sha256(file.path())).isEqualTo(done.sha256());
        assertThat(Files.size(file.path())).isEqualTo(done.fileSize());
        assertThat(file.fileName()).startsWith("turnover_").endsWith(".xlsx");
    }

    @Test
    void aFailedRunKeepsItsReasonAndItsRestartReadsUpToTheSameWatermark() throws Exception {
        long customer = customerWithTopUps(2);
        breakTheStore();

        ReportRun failed = awaitEnd(
                runs.request(turnover(ReportFormat.CSV), "test accountant").id());
        payments.topUp(customer, Money.rub(777_00), "PP-after-the-failure-" + customer);
        repairTheStore();
        JobRun restarted = jobs.restart(failed.jobRunId());
        jobs.awaitEnd(restarted.id(), RUN_TIMEOUT);
        ReportRun done = runs.get(failed.id());
        ReportRun fresh = awaitEnd(
                runs.request(turnover(ReportFormat.CSV), "test accountant").id());

        assertThat(failed.state()).isEqualTo(ReportRunState.FAILED);
        assertThat(failed.failure()).contains("report store");
        assertThat(jobs.get(failed.jobRunId()).status()).isEqualTo("FAILED");
        assertThat(done.state()).as(done.failure()).isEqualTo(ReportRunState.SUCCEEDED);
        assertThat(done.watermark()).isEqualTo(failed.watermark());
        assertThat(done.generatedAt()).isEqualTo(failed.generatedAt());
        assertThat(fresh.watermark()).isGreaterThan(done.watermark());
        // The top-up after the failure is in the fresh run's turnover only: 777 roubles on each side.
        assertThat(debitTurnover(fresh) - debitTurnover(done)).isEqualTo(777_00);
    }

    private static long debitTurnover(ReportRun run) {
        return run.controlTotals().tables().stream()
                .flatMap(t -> t.totals().stream())
                .filter(t -> t.column().equals("debit_turnover"))
                .map(ReportSummary.ControlTotal::value)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no debit_turnover total in " + run.controlTotals()))
                .longValueExact();
    }

    private NewReportRun turnover(ReportFormat format) {
        LocalDate today = calendar.today();
        return NewReportRun.of(
                ReportType.TURNOVER,
                format,
                new ReportFilters(today.withDayOfMonth(1), today, null, null, null, null, null, null, null, null));
    }

    /** A file where the store keeps its partial files: the next file cannot be written. */
    private static void breakTheStore() throws IOException {
        Path partial = STORE.resolve(".partial");
        if (Files.isDirectory(partial)) {
            try (Stream<Path> files = Files.walk(partial)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(STORE);
        Files.writeString(partial, "not a directory");
    }

    private ReportRun awaitEnd(long runId) {
        return await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            dispatch.dispatch(); // as the batch role's schedule does every few seconds
                            return runs.get(runId);
                        },
                        r -> (r.state() == ReportRunState.SUCCEEDED || r.state() == ReportRunState.FAILED)
                                && r.jobRunId() != null
                                && !jobs.get(r.jobRunId()).running());
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}

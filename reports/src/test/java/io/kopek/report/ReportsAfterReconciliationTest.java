package io.kopek.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kopek.ReportsTestApplication;
import io.kopek.reconciliation.Reconciliation;
import io.kopek.testing.TestClockConfiguration;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/** Each reconciliation run of a provider's day asks for that day's reconciliation report in XLSX and PDF, once. */
@SpringBootTest(classes = ReportsTestApplication.class)
@Import(TestClockConfiguration.class)
class ReportsAfterReconciliationTest {

    @Autowired
    Reconciliation reconciliation;

    @Autowired
    ReconciliationReports reconciliationReports;

    @Autowired
    ReportRuns runs;

    @Test
    void aReconciledDayGetsItsReportInXlsxAndPdfOncePerRun() {
        String provider = "pay" + UUID.randomUUID().toString().substring(0, 8);
        LocalDate day = LocalDate.of(2026, 12, 3);

        reconciliation.run(provider, day);
        List<ReportRun> first = awaitReports(provider, 2);
        reconciliationReports.poll(); // the same event again asks for nothing
        reconciliation.run(provider, day); // a new run of the day: its own reports

        assertThat(first).extracting(ReportRun::format).containsExactlyInAnyOrder(ReportFormat.XLSX, ReportFormat.PDF);
        assertThat(first).allSatisfy(run -> {
            assertThat(run.report()).isEqualTo(ReportType.RECONCILIATION);
            assertThat(run.filters().provider()).isEqualTo(provider);
            assertThat(run.filters().from()).isEqualTo(day);
            assertThat(run.filters().to()).isEqualTo(day);
            assertThat(run.state()).isEqualTo(ReportRunState.QUEUED);
            assertThat(run.requestedBy()).isEqualTo("kopek");
        });
        assertThat(first.get(0).fileName()).startsWith("reconciliation_" + provider + "_2026-12-03.");
        assertThat(awaitReports(provider, 4)).hasSize(4);
    }

    private List<ReportRun> awaitReports(String provider, int count) {
        return await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> {
                            reconciliationReports.poll();
                            return runs.list(ReportType.RECONCILIATION, null, 200).stream()
                                    .filter(r -> provider.equals(r.filters().provider()))
                                    .toList();
                        },
                        found -> found.size() >= count);
    }
}

package io.kopek.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kopek.ReportsTestApplication;
import io.kopek.errors.KopekException;
import io.kopek.testing.TestClockConfiguration;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Asking for report runs: what is checked before anything is kept, and what a queued run says. */
@SpringBootTest(classes = ReportsTestApplication.class)
@Import(TestClockConfiguration.class)
class ReportRunRequestsTest {

    static final LocalDate DAY = LocalDate.of(2026, 12, 3);

    @Autowired
    ReportRuns runs;

    @Autowired
    JdbcClient jdbc;

    static ReportFilters day(String provider) {
        return new ReportFilters(DAY, DAY, provider, null, null, null, null, null, null, null);
    }

    long count() {
        return jdbc.sql("select count(*) from report_run").query(Long.class).single();
    }

    @Test
    void aRequestIsQueuedWithAFileNameThatSaysWhatItIs() {
        ReportRun run = runs.request(
                NewReportRun.of(ReportType.RECONCILIATION, ReportFormat.XLSX, day("yookassa")), "accountant-key");

        assertThat(run.state()).isEqualTo(ReportRunState.QUEUED);
        assertThat(run.fileName()).isEqualTo("reconciliation_yookassa_2026-12-03.xlsx");
        assertThat(run.contentType()).isEqualTo(ReportFormat.XLSX.contentType());
        assertThat(run.requestedBy()).isEqualTo("accountant-key");
        assertThat(run.filters()).isEqualTo(day("yookassa"));
        assertThat(runs.get(run.id())).isEqualTo(run);
    }

    @Test
    void aCsvRequestGetsTheRussianExcelProfileUnlessItAsksForAnother() {
        ReportRun csv = runs.request(NewReportRun.of(ReportType.RECONCILIATION, ReportFormat.CSV, day("sber")), "a");
        ReportRun plain = runs.request(
                new NewReportRun(
                        ReportType.RECONCILIATION,
                        ReportFormat.CSV,
                        day("sber"),
                        CsvProfile.PLAIN,
                        CsvProfile.CsvCharset.WINDOWS_1251),
                "a");

        assertThat(csv.csvProfile()).isEqualTo(CsvProfile.EXCEL_RU);
        assertThat(csv.csvCharset()).isEqualTo(CsvProfile.CsvCharset.UTF_8);
        assertThat(plain.csvProfile()).isEqualTo(CsvProfile.PLAIN);
        assertThat(plain.csvCharset()).isEqualTo(CsvProfile.CsvCharset.WINDOWS_1251);
    }

    @Test
    void aWrongFormatOrFilterIsRefusedNamingTheFieldAndNothingIsKept() {
        long before = count();

        assertThatThrownBy(() -> runs.request(
                        NewReportRun.of(ReportType.BANK_STATEMENT_1C, ReportFormat.PDF, ReportFilters.none()), "a"))
                .isInstanceOfSatisfying(
                        InvalidFilterException.class, e -> assertThat(e.field()).isEqualTo("format"));
        assertThatThrownBy(() -> runs.request(
                        new NewReportRun(
                                ReportType.RECONCILIATION, ReportFormat.XLSX, day("yookassa"), CsvProfile.PLAIN, null),
                        "a"))
                .isInstanceOfSatisfying(
                        InvalidFilterException.class, e -> assertThat(e.field()).isEqualTo("csv_profile"));
        assertThatThrownBy(() -> runs.request(
                        NewReportRun.of(
                                ReportType.RECONCILIATION, ReportFormat.XLSX, day("x'; drop table report_run;--")),
                        "a"))
                .isInstanceOfSatisfying(
                        InvalidFilterException.class, e -> assertThat(e.field()).isEqualTo("filters.provider"));
        assertThatThrownBy(() -> runs.request(
                        NewReportRun.of(
                                ReportType.RECONCILIATION,
                                ReportFormat.XLSX,
                                new ReportFilters(
                                        DAY, DAY.minusDays(1), "sber", null, null, null, null, null, null, null)),
                        "a"))
                .isInstanceOfSatisfying(
                        InvalidFilterException.class, e -> assertThat(e.field()).isEqualTo("filters.from"));
        assertThatThrownBy(() -> runs.request(
                        NewReportRun.of(ReportType.RECONCILIATION, ReportFormat.XLSX, ReportFilters.none()), "a"))
                .isInstanceOfSatisfying(
                        InvalidFilterException.class, e -> assertThat(e.field()).startsWith("filters."));

        assertThat(count()).isEqualTo(before);
    }

    @Test
    void theSameOriginAsksOnce() {
        String origin = "reconciliation.completed:" + UUID.randomUUID() + ":xlsx";
        NewReportRun request = NewReportRun.of(ReportType.RECONCILIATION, ReportFormat.XLSX, day("acme"));

        assertThat(runs.requestOnce(request, origin, "kopek")).isPresent();
        assertThat(runs.requestOnce(request, origin, "kopek")).isEmpty();
    }

    @Test
    void aQueuedRunHasNoFileYet() {
        ReportRun run = runs.request(NewReportRun.of(ReportType.TURNOVER, ReportFormat.PDF, period()), "a");

        assertThatThrownBy(() -> runs.file(run.id()))
                .isInstanceOfSatisfying(
                        KopekException.class, e -> assertThat(e.type()).isEqualTo("report-run-not-ready"));
        assertThatThrownBy(() -> runs.get(Long.MAX_VALUE)).isInstanceOf(KopekException.class);
    }

    static ReportFilters period() {
        return new ReportFilters(DAY.withDayOfMonth(1), DAY, null, null, null, null, null, null, null, null);
    }
}

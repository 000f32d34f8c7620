package io.kopek.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kopek.ReportsTestApplication;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.errors.KopekException;
import io.kopek.testing.MutableClock;
import io.kopek.testing.TestClockConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A run once made: what it records cannot change, and its file is kept for the retention, then deleted. */
@SpringBootTest(classes = ReportsTestApplication.class)
@Import(TestClockConfiguration.class)
class ReportRunLifecycleTest {

    @Autowired
    ReportRuns runs;

    @Autowired
    ReportGenerator generator;

    @Autowired
    ReportRetention retention;

    @Autowired
    ReportsProperties properties;

    @Autowired
    BusinessCalendar calendar;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void backToNow() {
        clock.set(Instant.now());
    }

    @Test
    void aSucceededRunsRecordCannotBeChanged() {
        ReportRun run = made();

        assertThatThrownBy(() -> jdbc.sql("update report_run set row_count = row_count + 1 where id = ?")
                        .param(run.id())
                        .update())
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("immutable");
        assertThatThrownBy(() -> jdbc.sql("update report_run set sha256 = repeat('0', 64) where id = ?")
                        .param(run.id())
                        .update())
                .isInstanceOf(DataAccessException.class);
        assertThatThrownBy(() -> jdbc.sql("update report_run set state = 'failed' where id = ?")
                        .param(run.id())
                        .update())
                .isInstanceOf(DataAccessException.class);
        assertThat(runs.get(run.id())).isEqualTo(run);
    }

    @Test
    void aFileIsKeptForTheRetentionThenDeletedAndItsRunExpires() throws Exception {
        ReportRun run = made();
        Path file = runs.file(run.id()).path();
        assertThat(Duration.between(calendar.now(), run.expiresAt()))
                .isBetween(properties.retention().minusMinutes(5), properties.retention());

        clock.set(run.expiresAt().minus(Duration.ofMinutes(1)));
        retention.sweep();
        assertThat(runs.get(run.id()).state()).isEqualTo(ReportRunState.SUCCEEDED);
        assertThat(file).exists();

        clock.set(run.expiresAt().plus(Duration.ofMinutes(1)));
        assertThat(retention.sweep()).isPositive();

        ReportRun expired = runs.get(run.id());
        assertThat(expired.state()).isEqualTo(ReportRunState.EXPIRED);
        assertThat(expired.sha256()).isEqualTo(run.sha256());
        assertThat(expired.controlTotals()).isEqualTo(run.controlTotals());
        assertThat(Files.exists(file)).isFalse();
        assertThatThrownBy(() -> runs.file(run.id()))
                .isInstanceOfSatisfying(
                        KopekException.class, e -> assertThat(e.type()).isEqualTo("report-run-expired"));
    }

    private ReportRun made() {
        LocalDate today = calendar.today();
        ReportRun run = generator.generate(runs.request(
                        NewReportRun.of(
                                ReportType.TURNOVER,
                                ReportFormat.CSV,
                                new ReportFilters(
                                        today.withDayOfMonth(1),
                                        today,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null)),
                        "test accountant")
                .id());
        assertThat(run.state()).as(run.failure()).isEqualTo(ReportRunState.SUCCEEDED);
        return run;
    }
}

package io.kopek.batch.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.Period;
import org.junit.jupiter.api.Test;

/** The horizon as 402-FZ art. 29 counts it: five years after the reporting year, or plainly back from today. */
class RetentionPropertiesTest {

    static final RetentionProperties LAW = new RetentionProperties(Period.ofYears(5), Period.ofYears(5), true);

    @Test
    void fiveYearsAfterTheReportingYearKeepEveryDayOfTheYearThatEndedLessThanFiveYearsAgo() {
        // On any day of 2026, the days of 2020 (kept through 2025) may go, all of 2021 stays.
        assertThat(LAW.horizon(LocalDate.of(2026, 1, 1), Period.ofYears(5))).isEqualTo(LocalDate.of(2021, 1, 1));
        assertThat(LAW.horizon(LocalDate.of(2026, 12, 5), Period.ofYears(5))).isEqualTo(LocalDate.of(2021, 1, 1));
        assertThat(LAW.horizon(LocalDate.of(2026, 12, 31), Period.ofYears(5))).isEqualTo(LocalDate.of(2021, 1, 1));
        // On the last day of 2025, 2020 is still kept.
        assertThat(LAW.horizon(LocalDate.of(2025, 12, 31), Period.ofYears(5))).isEqualTo(LocalDate.of(2020, 1, 1));
    }

    @Test
    void countedFromTheDayTheHorizonIsTodayLessThePeriod() {
        RetentionProperties plain = new RetentionProperties(Period.ofDays(10), Period.ofDays(10), false);

        assertThat(plain.horizon(LocalDate.of(2026, 12, 5), Period.ofDays(10))).isEqualTo(LocalDate.of(2026, 11, 25));
    }

    @Test
    void aPeriodThatKeepsNothingIsRefused() {
        assertThatThrownBy(() -> new RetentionProperties(Period.ZERO, Period.ofYears(5), true))
                .hasMessageContaining("kopek.retention.registry-lines");
        assertThatThrownBy(() -> new RetentionProperties(Period.ofYears(5), Period.ofDays(-1), true))
                .hasMessageContaining("kopek.retention.reconciliation-results");
    }
}

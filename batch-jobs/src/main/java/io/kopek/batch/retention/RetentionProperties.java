package io.kopek.batch.retention;

import java.time.LocalDate;
import java.time.Period;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kopek.retention.*}: how long the day partitions of registry lines and reconciliation results are kept
 * before {@code partitionRetention} drops them.
 *
 * <p>The defaults follow the law: primary accounting documents and the registers of accounting are kept "не менее
 * пяти лет после отчетного года" (Federal Law 402-FZ "On Accounting", art. 29 part 1) — at least five years after
 * the reporting year they belong to. A provider's settlement registry is the primary document of its settlement,
 * and the reconciliation's results are the evidence that the books agree with it. So by default the years are
 * counted from the end of the day's reporting (calendar) year: on any day of 2026 the days of 2020 and before may go,
 * those of 2021 stay until 2027.
 *
 * @param registryLines how long a day's registry lines are kept ({@code 5y}, {@code 30d}, or ISO {@code P5Y})
 * @param reconciliationResults how long a day's reconciliation results are kept
 * @param afterReportingYear whether the period counts from the end of the day's reporting year (the law's reading);
 *     {@code false}: from the day itself (tests, or an installation whose periods already include the year)
 */
@ConfigurationProperties("kopek.retention")
public record RetentionProperties(
        @DefaultValue("5y") Period registryLines,
        @DefaultValue("5y") Period reconciliationResults,
        @DefaultValue("true") boolean afterReportingYear) {

    public RetentionProperties {
        requirePositive(registryLines, "registry-lines");
        requirePositive(reconciliationResults, "reconciliation-results");
    }

    /**
     * The first day kept on {@code today} when days are kept for {@code keep}: every day before it may be dropped.
     */
    LocalDate horizon(LocalDate today, Period keep) {
        LocalDate day = today.minus(keep);
        // the year of today - keep ended less than keep ago: all of it stays; the years before it ended long enough ago
        return afterReportingYear ? day.withDayOfYear(1) : day;
    }

    private static void requirePositive(Period period, String name) {
        if (period == null || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("kopek.retention." + name + " must be a positive period, not " + period);
        }
    }
}

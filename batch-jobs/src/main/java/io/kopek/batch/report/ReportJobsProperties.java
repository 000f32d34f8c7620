package io.kopek.batch.report;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kopek.batch.reports.*}: how the batch role picks up report runs.
 *
 * @param dispatchEvery pause between two looks for queued runs (and for runs whose job died)
 * @param retention cron (in the business zone) of the daily {@code reportRetention}
 */
@ConfigurationProperties("kopek.batch.reports")
public record ReportJobsProperties(
        @DefaultValue("2s") Duration dispatchEvery,
        @DefaultValue("0 30 3 * * *") String retention) {}

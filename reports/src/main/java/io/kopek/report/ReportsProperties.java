package io.kopek.report;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kopek.reports.*}.
 *
 * @param directory where report files are kept (a directory on a volume every batch and API process sees); each
 *     file under {@code yyyy/MM/} by its run
 * @param retention how long a file is kept after its run succeeded; then it is deleted and the run marked expired
 * @param progressEvery rows between two updates of a running run's progress
 */
@ConfigurationProperties("kopek.reports")
public record ReportsProperties(
        @DefaultValue("var/reports") Path directory,
        @DefaultValue("30d") Duration retention,
        @DefaultValue("5000") int progressEvery) {}

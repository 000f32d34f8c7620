package io.kopek.batch.settlement;

import io.kopek.batch.JobRun;
import io.kopek.batch.Jobs;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.ingest.FetchedRegistries;
import io.kopek.ingest.RegistryFile;
import io.kopek.ingest.RegistryImport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * In the batch role a fetched registry is imported as a {@code registryImport} job run, kept with its progress and
 * summary and restartable like any run. Only imported: a provider's day is reconciled and reported by its settlement
 * chain ({@code io.kopek.batch.chain}), once the day's registry is in, not after each file that arrives.
 */
@Component
@ConditionalOnRole(Role.BATCH)
public class SettlementJobs implements FetchedRegistries {

    private static final Duration TIMEOUT = Duration.ofHours(2);

    private final Jobs jobs;
    private final RegistryImport imports;

    SettlementJobs(Jobs jobs, RegistryImport imports) {
        this.jobs = jobs;
        this.imports = imports;
    }

    /** A registry file and the {@code registryImport} run that imported (or quarantined, or recognised) it. */
    public record Imported(JobRun run, RegistryFile file) {}

    @Override
    public RegistryFile take(String provider, Path file) {
        return importFile(provider, file, TIMEOUT).file();
    }

    /** Runs {@code registryImport} for a staged file and waits for it to end. */
    public Imported importFile(String provider, Path file, Duration timeout) {
        JobRun run = jobs.run(
                RegistryImportJob.NAME,
                Map.of("provider", provider, "file", file.toAbsolutePath().toString()),
                timeout);
        Object fileId = run.summary().get("fileId");
        if (fileId == null) {
            throw new IllegalStateException(
                    "registryImport run " + run.id() + " ended " + run.status() + ": " + run.exitDescription());
        }
        return new Imported(run, imports.get(((Number) fileId).longValue()));
    }
}

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * In the batch role a fetched registry goes through the jobs: {@code registryImport}, then, once it imported,
 * {@code reconciliation} of its provider's day. Both runs are kept, with their progress and summaries, and can be
 * restarted like any run.
 */
@Component
@ConditionalOnRole(Role.BATCH)
class SettlementJobs implements FetchedRegistries {

    private static final Logger log = LoggerFactory.getLogger(SettlementJobs.class);
    private static final Duration TIMEOUT = Duration.ofHours(2);

    private final Jobs jobs;
    private final RegistryImport imports;

    SettlementJobs(Jobs jobs, RegistryImport imports) {
        this.jobs = jobs;
        this.imports = imports;
    }

    @Override
    public RegistryFile take(String provider, Path file) {
        JobRun imported = jobs.run(
                RegistryImportJob.NAME,
                Map.of("provider", provider, "file", file.toAbsolutePath().toString()),
                TIMEOUT);
        Object fileId = imported.summary().get("fileId");
        if (fileId == null) {
            throw new IllegalStateException("registryImport run " + imported.id() + " ended " + imported.status() + ": "
                    + imported.exitDescription());
        }
        RegistryFile registry = imports.get(((Number) fileId).longValue());
        if (registry.imported()) { // delivered again, it reconciles to the same result
            JobRun reconciled = jobs.run(
                    ReconciliationJob.NAME,
                    Map.of(
                            "provider",
                            provider,
                            "businessDate",
                            registry.businessDate().toString()),
                    TIMEOUT);
            log.info(
                    "{} registry {}: reconciliation run {} {}",
                    provider,
                    registry.name(),
                    reconciled.id(),
                    reconciled.status());
        }
        return registry;
    }
}

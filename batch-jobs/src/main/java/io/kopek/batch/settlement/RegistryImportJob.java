package io.kopek.batch.settlement;

import io.kopek.batch.JobParameterRules;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.ingest.RegistryFile;
import io.kopek.ingest.RegistryImport;
import io.kopek.ingest.Staging;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code registryImport} ({@code provider}, {@code file}): one registry file into staging with {@code COPY}
 * ({@link RegistryImport}, one transaction of its own). A restart after a crash imports it again from the start,
 * and a file imported before is recognised, not imported twice. The run's summary: the file's id, status, business
 * day and line counts; a quarantined file ends with exit code {@code QUARANTINED} and its reason.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.BATCH)
public class RegistryImportJob {

    public static final String NAME = "registryImport";

    @Bean
    Job registryFileImport(
            JobRepository repository,
            PlatformTransactionManager transactions,
            RegistryImport imports,
            Staging staging) {
        return new JobBuilder(NAME, repository)
                .validator(JobParameterRules.exactly(
                        Map.of("provider", JobParameterRules.Kind.TEXT, "file", JobParameterRules.Kind.PATH)))
                .start(new StepBuilder("copyIntoStaging", repository)
                        .tasklet(copyIntoStaging(imports, staging), transactions)
                        .build())
                .build();
    }

    /** Only files in the staging directory: a run's parameters are not a way to read the server's other files. */
    private static Tasklet copyIntoStaging(RegistryImport imports, Staging staging) {
        return (contribution, context) -> {
            StepExecution step = contribution.getStepExecution();
            var parameters = step.getJobParameters();
            // its real path, links resolved: a link in the staging directory to a file elsewhere is refused too
            Path path = staging.inside(Path.of(parameters.getString("file")));
            RegistryFile file = imports.importFile(parameters.getString("provider"), path);
            var summary = step.getJobExecution().getExecutionContext();
            summary.putLong("fileId", file.id());
            summary.putString("status", file.status());
            summary.putString("businessDate", String.valueOf(file.businessDate()));
            summary.putLong("lines", file.lines());
            summary.putLong("rejectedLines", file.rejected());
            contribution.incrementWriteCount(file.lines());
            if (file.quarantined()) {
                contribution.setExitStatus(new ExitStatus("QUARANTINED", file.reason()));
            }
            return RepeatStatus.FINISHED;
        };
    }
}

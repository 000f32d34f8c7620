package io.kopek.search;

import io.kopek.batch.JobParameterRules;
import io.kopek.batch.Jobs;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.schedule.ScheduledWork;
import io.kopek.schedule.ScheduledWork.Misfire;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code searchDriftCheck}, daily in the batch role when the index is on: the {@link DriftCheck}. The run completes
 * with exit code {@code DRIFT} and the differences in its exit description when an index disagrees with PostgreSQL,
 * {@code COMPLETED} when none does; the engine away fails the run (and the failed run is an alert of its own).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.BATCH)
@ConditionalOnBooleanProperty("kopek.search.enabled")
class SearchDriftJob {

    static final String NAME = "searchDriftCheck";

    /** Longer than a check should take; a run still going then is left to go on. */
    private static final Duration RUN_TIMEOUT = Duration.ofHours(1);

    /** Differences named in the exit description; all of them are in the API's answer and the alert. */
    private static final int LISTED = 20;

    @Bean
    Job searchDriftCheckJob(JobRepository repository, PlatformTransactionManager transactions, DriftCheck check) {
        return new JobBuilder(NAME, repository)
                .validator(JobParameterRules.none())
                .start(new StepBuilder("compareIndices", repository)
                        .tasklet(compare(check), transactions)
                        .build())
                .build();
    }

    /**
     * Misfire WAIT_FOR_NEXT: the next day's check covers the days a missed one would have (it looks back
     * {@code kopek.search.drift.days}).
     */
    @Bean
    ScheduledWork searchDriftCheckSchedule(Jobs jobs) {
        return new ScheduledWork(
                NAME,
                "Compares the search indices with PostgreSQL per day, daily (a searchDriftCheck run)",
                "0 30 6 * * ?",
                Misfire.WAIT_FOR_NEXT,
                () -> jobs.run(NAME, Map.of(), RUN_TIMEOUT));
    }

    private static Tasklet compare(DriftCheck check) {
        return (contribution, context) -> {
            DriftResults.Report report = check.run();
            int found = report.differences().size();
            StepExecution step = contribution.getStepExecution();
            step.getExecutionContext().putLong("differences", found);
            step.getJobExecution().getExecutionContext().putLong("differences", found);
            if (found > 0) {
                contribution.setExitStatus(new ExitStatus(
                        "DRIFT",
                        found + " differences between the search indices and PostgreSQL from " + report.from()
                                + " to " + report.to() + ": "
                                + report.differences().stream()
                                        .limit(LISTED)
                                        .map(d -> d.index() + " " + d.day() + " count " + d.esCount() + "/"
                                                + d.dbCount() + " sum " + d.esSum() + "/" + d.dbSum())
                                        .collect(Collectors.joining("; "))
                                + (found > LISTED ? "; ..." : "")
                                + " (engine/database)"));
            }
            return RepeatStatus.FINISHED;
        };
    }
}

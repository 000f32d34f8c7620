package io.kopek.batch;

import io.kopek.errors.KopekException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.JobRestartException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.ListableStepLocator;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Starting, watching and restarting job runs. Every process can list runs and read their progress (the job
 * repository is in the database); runs start and restart only in processes with the {@code batch} role, where the
 * jobs are. A run starts on a thread of its own: {@link #start} answers at once with the new run.
 *
 * <p>Each start is a new job instance: an identifying {@code run.id} is added unless the caller gives one (a job
 * that must run once per business day passes its own, e.g. {@code provider:date}, and a second start of a
 * completed one is refused). A failed or stopped run is continued by {@link #restart}, which starts a new
 * execution of the same instance: completed steps are skipped and the failed step resumes from what it committed.
 * A running run is stopped by {@link #stop}: Spring Batch marks it STOPPING and the run ends STOPPED at its next
 * chunk or pass boundary, wherever it runs (the worker reads the status from the repository as it commits).
 *
 * <p>Reading: {@link #history} pages through all runs with filters, {@link #states} tells cheaply which runs changed
 * (the API's live events poll it), and every run comes with its progress ({@link Progress}).
 */
@Service
@Transactional(propagation = Propagation.NOT_SUPPORTED) // runs commit on their own, never inside a caller's
public class Jobs {

    static final String RUN_ID = "run.id";

    private final JobRepository repository;
    private final JobOperator operator;
    private final ObjectProvider<Job> jobs;
    private final ObjectProvider<Recovery> recovery;
    private final JdbcClient jdbc;

    Jobs(
            JobRepository repository,
            JobOperator operator,
            ObjectProvider<Job> jobs,
            ObjectProvider<Recovery> recovery,
            JdbcClient jdbc) {
        this.repository = repository;
        this.operator = operator;
        this.jobs = jobs;
        this.recovery = recovery;
        this.jdbc = jdbc;
    }

    /** The jobs this process can run, and those that ran anywhere. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>(repository.getJobNames());
        jobs.orderedStream().forEach(j -> names.add(j.getName()));
        return names;
    }

    /** The jobs with the parameters each takes and its last run, by name. */
    public List<JobDefinition> definitions() {
        List<JobDefinition> definitions = new ArrayList<>();
        for (String name : names()) {
            List<JobParameterRules.Parameter> parameters = localJob(name)
                    .map(Job::getJobParametersValidator)
                    .filter(JobParameterRules.Rules.class::isInstance)
                    .map(v -> ((JobParameterRules.Rules) v).parameters())
                    .orElse(List.of());
            JobRunSummary last = jdbc.sql("select e.job_execution_id from batch_job_execution e"
                            + " join batch_job_instance i on i.job_instance_id = e.job_instance_id"
                            + " where i.job_name = ? order by e.job_execution_id desc limit 1")
                    .param(name)
                    .query(Long.class)
                    .optional()
                    .flatMap(this::find)
                    .map(JobRunSummary::of)
                    .orElse(null);
            definitions.add(new JobDefinition(name, parameters, last));
        }
        return definitions;
    }

    /** Starts a new run of the job; answers at once, while the run goes on. */
    public JobRun start(String name, Map<String, String> parameters) {
        return start(name, parameters, null, () -> {});
    }

    /**
     * Starts a run for a request that may come again (an API call under its {@code Idempotency-Key}):
     * {@code requestKey} becomes the run's {@code run.id} (unless the parameters give one), so a repeat of the
     * request finds the run the first one started and answers with it, instead of starting a second.
     * {@code beforeStarting} runs once the parameters are found valid and just before a new run starts (an audit
     * entry); not for a repeat.
     */
    public JobRun start(String name, Map<String, String> parameters, String requestKey, Runnable beforeStarting) {
        Job job = local(name);
        JobParametersBuilder builder = new JobParametersBuilder();
        new TreeMap<>(parameters).forEach((k, v) -> builder.addString(k, v, true));
        boolean keyed = !parameters.containsKey(RUN_ID) && requestKey != null;
        if (!parameters.containsKey(RUN_ID)) {
            builder.addString(
                    RUN_ID, keyed ? "request:" + requestKey : UUID.randomUUID().toString(), true);
        }
        JobParameters jobParameters = builder.toJobParameters();
        try {
            // Checked here, before a run exists: the launcher would otherwise start one only to fail it.
            job.getJobParametersValidator().validate(jobParameters);
            if (keyed) {
                Optional<JobRun> earlier = startedBefore(name, jobParameters);
                if (earlier.isPresent()) {
                    return earlier.get();
                }
            }
            beforeStarting.run();
            return view(operator.start(job, jobParameters));
        } catch (JobExecutionAlreadyRunningException
                | JobInstanceAlreadyCompleteException
                | DataIntegrityViolationException e) {
            // a repeat of the request that raced the first one to create the run: it answers with that run
            if (keyed) {
                Optional<JobRun> earlier = startedBefore(name, jobParameters);
                if (earlier.isPresent()) {
                    return earlier.get();
                }
            }
            if (e instanceof JobExecutionAlreadyRunningException) {
                throw KopekException.conflict(
                        "job-run-running", "a run of " + name + " with these parameters is running");
            }
            if (e instanceof DataIntegrityViolationException d) {
                throw d;
            }
            throw KopekException.conflict(
                    "job-instance-complete", "a run of " + name + " with these parameters completed");
        } catch (InvalidJobParametersException e) {
            throw KopekException.malformed("invalid-job-parameters", name + ": " + e.getMessage());
        } catch (JobRestartException e) {
            throw KopekException.conflict("job-run-not-restartable", e.getMessage());
        }
    }

    /** The first run of the job instance these parameters identify, if one was started. */
    private Optional<JobRun> startedBefore(String name, JobParameters parameters) {
        var instance = repository.getJobInstance(name, parameters);
        if (instance == null) {
            return Optional.empty();
        }
        return repository.getJobExecutions(instance).stream()
                .min(Comparator.comparingLong(JobExecution::getId))
                .map(this::view);
    }

    /** Starts a run and waits for it to end (schedules use it, so that runs of a job do not pile up). */
    public JobRun run(String name, Map<String, String> parameters, Duration timeout) {
        return awaitEnd(start(name, parameters).id(), timeout);
    }

    /**
     * Continues a FAILED or STOPPED run as a new execution of its job instance. A run still marked running is
     * first checked: if its worker is dead it is recovered (marked FAILED) and restarted; if alive, refused.
     */
    public JobRun restart(long runId) {
        JobExecution execution = execution(runId);
        Job job = local(execution.getJobInstance().getJobName());
        if (execution.getStatus().isRunning()) {
            Recovery r = recovery.getIfAvailable();
            if (r == null || !r.recoverIfOrphan(runId)) {
                throw KopekException.conflict("job-run-running", "job run " + runId + " is running on a live worker");
            }
            execution = execution(runId);
        }
        if (execution.getStatus() != BatchStatus.FAILED && execution.getStatus() != BatchStatus.STOPPED) {
            throw KopekException.conflict(
                    "job-run-not-restartable",
                    "job run " + runId + " is " + execution.getStatus() + "; only FAILED or STOPPED runs restart");
        }
        JobExecution last = repository.getLastJobExecution(execution.getJobInstance());
        if (last != null && last.getId() != runId) {
            throw KopekException.conflict(
                    "job-run-not-restartable", "job run " + runId + " was restarted already, as run " + last.getId());
        }
        try {
            return view(operator.restart(execution));
        } catch (JobRestartException e) {
            throw KopekException.conflict("job-run-not-restartable", e.getMessage());
        }
    }

    /**
     * Asks a running run to stop: Spring Batch marks it STOPPING, and it ends STOPPED at its next chunk or pass
     * boundary, in whichever process runs it (a restart then continues it). A run of a dead worker cannot stop by
     * itself: it is recovered (marked FAILED) as a restart would, and answered as such. A run that is not running is
     * refused.
     */
    public JobRun stop(long runId) {
        JobExecution execution = execution(runId);
        if (!execution.getStatus().isRunning()) {
            throw KopekException.conflict(
                    "job-run-not-running", "job run " + runId + " is " + execution.getStatus() + "; nothing to stop");
        }
        Recovery r = recovery.getIfAvailable();
        if (r != null && r.recoverIfOrphan(runId)) {
            return get(runId);
        }
        markStopping(runId);
        return get(runId);
    }

    /**
     * The run's status only, as Spring Batch 5 stopped a run: its worker, at its next chunk or pass, reads STOPPING
     * when it commits the step ({@code JobRepository.update}), and ends the step and the run STOPPED. Not Spring Batch
     * 6's {@link JobOperator#stop}, which also writes the running step's row from this thread, racing the worker's
     * own update of it: the loser's optimistic lock fails, and when it is the worker's the run ends FAILED, not
     * STOPPED (spring-batch issue 5308, open in 6.0.6). Retried when the worker updated the run meanwhile.
     */
    private void markStopping(long runId) {
        for (int attempt = 0; ; attempt++) {
            JobExecution execution = execution(runId);
            if (!execution.getStatus().isRunning()) {
                throw KopekException.conflict("job-run-not-running", "job run " + runId + " ended meanwhile");
            }
            if (execution.getStatus() == BatchStatus.STOPPING) {
                return;
            }
            execution.setStatus(BatchStatus.STOPPING);
            try {
                repository.update(execution);
                return;
            } catch (OptimisticLockingFailureException e) {
                if (attempt >= 5) {
                    throw e;
                }
            }
        }
    }

    /** Which runs a history lists: of one job, in one status, created in {@code [from, to)}; null: any. */
    public record RunFilter(String job, BatchStatus status, Instant from, Instant to) {}

    /** Runs newest first, below the run id {@code beforeId} (0: from the newest), as the filter says. */
    public List<JobRun> history(RunFilter filter, long beforeId, int limit) {
        return jdbc
                .sql("select e.job_execution_id from batch_job_execution e"
                        + " join batch_job_instance i on i.job_instance_id = e.job_instance_id"
                        + " where (? = 0 or e.job_execution_id < ?)"
                        + " and (cast(? as text) is null or i.job_name = ?)"
                        + " and (cast(? as text) is null or e.status = ?)"
                        + " and (cast(? as timestamp) is null or e.create_time >= ?)"
                        + " and (cast(? as timestamp) is null or e.create_time < ?)"
                        + " order by e.job_execution_id desc limit ?")
                .params(
                        beforeId,
                        beforeId,
                        filter.job(),
                        filter.job(),
                        filter.status() == null ? null : filter.status().name(),
                        filter.status() == null ? null : filter.status().name(),
                        local(filter.from()),
                        local(filter.from()),
                        local(filter.to()),
                        local(filter.to()),
                        limit)
                .query(Long.class)
                .list()
                .stream()
                .map(this::get)
                .toList();
    }

    /**
     * A run's state in a few numbers: {@code version} grows with every update of the run or of one of its steps
     * (Spring Batch's optimistic-lock versions; a step's counts and context are committed with such an update), so a
     * change of it means the run's status or counts changed.
     */
    public record RunState(long id, String job, String status, long version) {

        public boolean running() {
            return status != null && BatchStatus.valueOf(status).isRunning();
        }
    }

    /**
     * The states of the runs after {@code afterId} (new ones), of those still running, and of {@code tracked} (those
     * that were running when last asked, to see them end): what a poller needs to tell which runs changed, in one
     * query that the indexes keep to those few rows.
     */
    public List<RunState> states(long afterId, Collection<Long> tracked) {
        return jdbc.sql("select e.job_execution_id, i.job_name, e.status, coalesce(e.version, 0)"
                        + " + coalesce((select sum(s.version) + count(*) from batch_step_execution s"
                        + " where s.job_execution_id = e.job_execution_id), 0) as version"
                        + " from batch_job_execution e"
                        + " join batch_job_instance i on i.job_instance_id = e.job_instance_id"
                        + " where e.job_execution_id > ? or e.status in ('STARTING', 'STARTED', 'STOPPING')"
                        + " or e.job_execution_id = any(?)")
                .params(afterId, tracked.toArray(Long[]::new))
                .query((rs, row) -> new RunState(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4)))
                .list();
    }

    /** The newest run's id, 0 when none. */
    public long lastRunId() {
        return jdbc.sql("select coalesce(max(job_execution_id), 0) from batch_job_execution")
                .query(Long.class)
                .single();
    }

    public Optional<JobRun> find(long runId) {
        return lookup(runId).map(this::view);
    }

    public JobRun get(long runId) {
        return view(execution(runId));
    }

    /** The latest runs of a job, newest first. */
    public List<JobRun> runs(String name, int limit) {
        if (!names().contains(name)) {
            throw KopekException.notFound("job", name);
        }
        return jdbc
                .sql("select e.job_execution_id from batch_job_execution e"
                        + " join batch_job_instance i on i.job_instance_id = e.job_instance_id"
                        + " where i.job_name = ? order by e.job_execution_id desc limit ?")
                .params(name, limit)
                .query(Long.class)
                .list()
                .stream()
                .map(this::get)
                .toList();
    }

    /** Waits until the run has ended (or the time is up) and returns it as it is then. */
    public JobRun awaitEnd(long runId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JobRun run = get(runId);
            if (!run.running() || System.nanoTime() > deadline) {
                return run;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return run;
            }
        }
    }

    private Optional<Job> localJob(String name) {
        return jobs.orderedStream().filter(j -> j.getName().equals(name)).findFirst();
    }

    private Job local(String name) {
        return localJob(name)
                .orElseThrow(() -> names().contains(name)
                        ? KopekException.unavailable(
                                "jobs-not-here", "job runs start in processes with the batch role (kopek.roles)")
                        : KopekException.notFound("job", name));
    }

    private JobExecution execution(long runId) {
        return lookup(runId).orElseThrow(() -> KopekException.notFound("job run", runId));
    }

    private Optional<JobExecution> lookup(long runId) {
        try {
            return Optional.ofNullable(repository.getJobExecution(runId));
        } catch (EmptyResultDataAccessException e) {
            return Optional.empty(); // the JDBC repository's answer for an unknown id
        }
    }

    private JobRun view(JobExecution e) {
        Map<String, String> parameters = new TreeMap<>();
        e.getJobParameters().forEach(p -> parameters.put(p.name(), String.valueOf(p.value())));
        Long restartOf = jdbc.sql("select max(job_execution_id) from batch_job_execution"
                        + " where job_instance_id = ? and job_execution_id < ?")
                .params(e.getJobInstance().getId(), e.getId())
                .query(Long.class)
                .optional()
                .orElse(null);
        Map<String, Object> summary = new TreeMap<>();
        e.getExecutionContext().toMap().forEach((k, v) -> {
            if (k.startsWith("batch.")) {
                return;
            }
            if (v instanceof Integer || v instanceof Long || v instanceof Short) {
                summary.put(k, ((Number) v).longValue());
            } else if (v instanceof Number || v instanceof String) {
                summary.put(k, v);
            }
        });
        List<JobRun.Step> steps = e.getStepExecutions().stream()
                .sorted(Comparator.comparingLong(StepExecution::getId))
                .map(Jobs::step)
                .toList();
        Map<String, Integer> stepProgress = new HashMap<>();
        steps.forEach(st -> stepProgress.put(st.name(), st.progress()));
        Collection<String> stepNames = localJob(e.getJobInstance().getJobName())
                .filter(ListableStepLocator.class::isInstance)
                .map(j -> ((ListableStepLocator) j).getStepNames())
                .filter(names -> !names.isEmpty())
                .orElseGet(() -> new LinkedHashSet<>(stepProgress.keySet()));
        if (restartOf != null) {
            // a restart runs only the steps left: those an earlier execution completed count as done
            for (String name : stepNames) {
                if (!stepProgress.containsKey(name)) {
                    StepExecution earlier = repository.getLastStepExecution(e.getJobInstance(), name);
                    if (earlier != null && earlier.getStatus() == BatchStatus.COMPLETED) {
                        stepProgress.put(name, 100);
                    }
                }
            }
        }
        return new JobRun(
                e.getId(),
                e.getJobInstance().getJobName(),
                e.getJobInstance().getId(),
                e.getStatus().name(),
                e.getExitStatus().getExitCode(),
                e.getExitStatus().getExitDescription(),
                parameters,
                instant(e.getCreateTime()),
                instant(e.getStartTime()),
                instant(e.getEndTime()),
                restartOf,
                summary,
                steps,
                Progress.ofRun(e.getStatus(), stepNames, stepProgress));
    }

    private static JobRun.Step step(StepExecution s) {
        Map<String, Long> counters = new LinkedHashMap<>();
        new TreeMap<>(s.getExecutionContext().toMap()).forEach((k, v) -> {
            if (v instanceof Number n && !k.startsWith("batch.")) {
                counters.put(k, n.longValue());
            }
        });
        return new JobRun.Step(
                s.getStepName(),
                s.getStatus().name(),
                s.getReadCount(),
                s.getWriteCount(),
                s.getFilterCount(),
                s.getSkipCount(),
                s.getCommitCount(),
                instant(s.getStartTime()),
                instant(s.getEndTime()),
                s.getExitStatus().getExitDescription(),
                counters,
                duration(s),
                Progress.of(s),
                error(s));
    }

    /** A failed step's error: the first line of its exit description (the rest is the stack trace). */
    private static String error(StepExecution s) {
        if (s.getStatus() != BatchStatus.FAILED && s.getStatus() != BatchStatus.ABANDONED) {
            return null;
        }
        String description = s.getExitStatus().getExitDescription();
        if (description == null || description.isBlank()) {
            return s.getExitStatus().getExitCode();
        }
        return description.strip().lines().findFirst().orElse(description);
    }

    /** How long the step ran, or has run so far; null before it started. */
    private static Long duration(StepExecution s) {
        if (s.getStartTime() == null) {
            return null;
        }
        LocalDateTime end = s.getEndTime() == null ? LocalDateTime.now() : s.getEndTime();
        return Math.max(0, Duration.between(s.getStartTime(), end).toMillis());
    }

    private static LocalDateTime local(Instant t) {
        // the job repository keeps local times of the JVM's zone (Spring Batch writes LocalDateTime.now())
        return t == null ? null : LocalDateTime.ofInstant(t, ZoneId.systemDefault());
    }

    private static Instant instant(LocalDateTime t) {
        return t == null ? null : t.atZone(ZoneId.systemDefault()).toInstant();
    }
}

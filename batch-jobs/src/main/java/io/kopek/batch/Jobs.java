package io.kopek.batch;

import io.kopek.errors.KopekException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.LinkedHashMap;
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
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.EmptyResultDataAccessException;
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

    /** Starts a new run of the job; answers at once, while the run goes on. */
    public JobRun start(String name, Map<String, String> parameters) {
        Job job = local(name);
        JobParametersBuilder builder = new JobParametersBuilder();
        new TreeMap<>(parameters).forEach((k, v) -> builder.addString(k, v, true));
        if (!parameters.containsKey(RUN_ID)) {
            builder.addString(RUN_ID, UUID.randomUUID().toString(), true);
        }
        JobParameters jobParameters = builder.toJobParameters();
        try {
            // Checked here, before a run exists: the launcher would otherwise start one only to fail it.
            job.getJobParametersValidator().validate(jobParameters);
            return view(operator.start(job, jobParameters));
        } catch (JobInstanceAlreadyCompleteException e) {
            throw KopekException.conflict(
                    "job-instance-complete", "a run of " + name + " with these parameters completed");
        } catch (JobExecutionAlreadyRunningException e) {
            throw KopekException.conflict("job-run-running", "a run of " + name + " with these parameters is running");
        } catch (InvalidJobParametersException e) {
            throw KopekException.malformed("invalid-job-parameters", name + ": " + e.getMessage());
        } catch (JobRestartException e) {
            throw KopekException.conflict("job-run-not-restartable", e.getMessage());
        }
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

    private Job local(String name) {
        return jobs.orderedStream()
                .filter(j -> j.getName().equals(name))
                .findFirst()
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
                steps);
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
                counters);
    }

    private static Instant instant(LocalDateTime t) {
        return t == null ? null : t.atZone(ZoneId.systemDefault()).toInstant();
    }
}

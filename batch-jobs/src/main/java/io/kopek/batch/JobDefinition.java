package io.kopek.batch;

import java.util.List;

/**
 * A job as an operator sees it: the parameters a run takes (from the job's {@link JobParameterRules}; none known for
 * a job that ran elsewhere and is not in this process) and its last run, if any.
 */
public record JobDefinition(String name, List<JobParameterRules.Parameter> parameters, JobRunSummary lastRun) {}

-- Indexes for reading runs (Spring Batch's DDL has none on its foreign keys): a run's steps and an instance's
-- executions are looked up by them on every read of a run, which the API's history and its live events
-- (JobRunEvents, every half second while someone listens) do for each run they show. The runs still going are found
-- by V11.1's partial index batch_job_execution_running.

create index batch_job_execution_instance on batch_job_execution (job_instance_id);
create index batch_step_execution_execution on batch_step_execution (job_execution_id);

package io.kopek.batch;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Which worker runs each job execution ({@code batch_execution_owner}), written when the run begins, and which
 * running executions have lost theirs: the worker's advisory lock is free, or the run never said who ran it.
 */
class ExecutionOwners implements JobExecutionListener {

    private final JdbcClient jdbc;
    private final BatchWorker worker;
    /** The executions this process is running now: begun here and not yet ended. */
    private final Set<Long> here = ConcurrentHashMap.newKeySet();

    ExecutionOwners(JdbcClient jdbc, BatchWorker worker) {
        this.jdbc = jdbc;
        this.worker = worker;
    }

    @Override
    public void beforeJob(JobExecution execution) {
        jdbc.sql("insert into batch_execution_owner (job_execution_id, worker_id, host, pid) values (?, ?, ?, ?)"
                        + " on conflict (job_execution_id) do update set worker_id = excluded.worker_id,"
                        + " host = excluded.host, pid = excluded.pid, started_at = now()")
                .params(execution.getId(), worker.id(), worker.host(), worker.pid())
                .update();
        here.add(execution.getId());
    }

    @Override
    public void afterJob(JobExecution execution) {
        here.remove(execution.getId());
    }

    /** The executions this process is running now (whatever the job repository says of others of this worker). */
    Set<Long> runningHere() {
        return Set.copyOf(here);
    }

    /**
     * Running executions (STARTING, STARTED, STOPPING) whose worker is dead; those without an owner count when
     * they were created more than {@code ownerlessAfter} ago.
     */
    List<Long> orphans(Duration ownerlessAfter) {
        return jdbc.sql("select e.job_execution_id from batch_job_execution e"
                        + " left join batch_execution_owner o on o.job_execution_id = e.job_execution_id"
                        + " where e.status in ('STARTING', 'STARTED', 'STOPPING')"
                        + " and ((o.worker_id is null and e.create_time < ?)"
                        + " or (o.worker_id is not null and not exists (select 1 from pg_locks l"
                        + " where l.locktype = 'advisory' and l.classid = ? and l.objid = o.worker_id"
                        + " and l.objsubid = 2 and l.granted"
                        + " and l.database = (select oid from pg_database where datname = current_database()))))"
                        + " order by e.job_execution_id")
                .params(Timestamp.valueOf(LocalDateTime.now().minus(ownerlessAfter)), BatchWorker.LOCK_CLASS)
                .query(Long.class)
                .list();
    }

    /** Whether the batch worker holds its advisory lock, that is, whether its process lives. */
    boolean alive(int workerId) {
        return jdbc.sql("select exists (select 1 from pg_locks l where l.locktype = 'advisory' and l.classid = ?"
                        + " and l.objid = ? and l.objsubid = 2 and l.granted"
                        + " and l.database = (select oid from pg_database where datname = current_database()))")
                .params(BatchWorker.LOCK_CLASS, workerId)
                .query(Boolean.class)
                .single();
    }

    /** Every job of a batch worker tells, when it begins, that this worker runs it. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnRole(Role.BATCH)
    static class Registration {

        @Bean
        ExecutionOwners executionOwners(JdbcClient jdbc, BatchWorker worker) {
            return new ExecutionOwners(jdbc, worker);
        }

        @Bean
        static BeanPostProcessor executionOwnersOnEveryJob(ObjectProvider<ExecutionOwners> owners) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if (bean instanceof AbstractJob job) {
                        job.registerJobExecutionListener(owners.getObject());
                    }
                    return bean;
                }
            };
        }
    }
}

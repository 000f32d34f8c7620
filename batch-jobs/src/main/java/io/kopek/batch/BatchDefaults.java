package io.kopek.batch;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Spring Batch as Kopek runs it, in every context with batch-jobs (the application, tests, benchmarks): no job
 * runs just because the application starts (jobs are started by {@link Jobs}, the schedules and the API); the
 * repository's tables come from Flyway ({@code V6__batch.sql}), never from Spring Boot's initializer; and a new
 * run is created at READ COMMITTED, since PostgreSQL's SERIALIZABLE would refuse concurrent starts; RabbitMQ is in
 * the health only where the reconciliation's remote partitioning uses it, so that a process without it stays UP with
 * no broker about. Lowest precedence: configuration may still override.
 */
class BatchDefaults implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment
                .getPropertySources()
                .addLast(new MapPropertySource(
                        "kopekBatchDefaults",
                        Map.of(
                                "spring.batch.job.enabled", "false",
                                "spring.batch.jdbc.initialize-schema", "never",
                                "spring.batch.jdbc.isolation-level-for-create", "read_committed",
                                "management.health.rabbit.enabled", "${kopek.reconciliation.remote.enabled:false}")));
    }
}

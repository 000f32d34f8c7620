package io.kopek.scheduler;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Quartz keeps its schedules in the database ({@code qrtz_*}, created by Flyway's {@code scheduler/V14.2}, never by
 * Spring Boot's script), in every context that has the scheduler. A process that stops lets the works under way end
 * first (a work waiting for a job run stops waiting: {@link FiringsAtShutdown}), so none runs on a closed pool.
 * Lowest precedence: configuration may override.
 */
class QuartzDefaults implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment
                .getPropertySources()
                .addLast(new MapPropertySource(
                        "kopekQuartzDefaults",
                        Map.of(
                                "spring.quartz.job-store-type", "jdbc",
                                "spring.quartz.jdbc.initialize-schema", "never",
                                "spring.quartz.wait-for-jobs-to-complete-on-shutdown", "true")));
    }
}

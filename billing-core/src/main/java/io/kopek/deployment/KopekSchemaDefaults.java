package io.kopek.deployment;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Kopek's tables live in schema {@code kopek}: connections use it and Flyway migrates it, in every context that
 * has billing-core (the application, tests, benchmarks). Lowest precedence: configuration may still override.
 */
class KopekSchemaDefaults implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment
                .getPropertySources()
                .addLast(new MapPropertySource(
                        "kopekSchemaDefaults",
                        Map.of(
                                "spring.datasource.hikari.schema", "kopek",
                                "spring.flyway.schemas", "kopek",
                                "spring.flyway.default-schema", "kopek",
                                "spring.flyway.create-schemas", "true")));
    }
}

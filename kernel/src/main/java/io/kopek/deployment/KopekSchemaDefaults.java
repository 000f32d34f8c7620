package io.kopek.deployment;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Kopek's tables live in schema {@code kopek}: connections use it and Flyway migrates it, in every context that
 * has the kernel (the application, tests, benchmarks). Lowest precedence: configuration may still override.
 *
 * <p>Each module's migrations carry versions from a range of its own ({@code db/migration/<owner>/V<range>.<n>}, see
 * ARCHITECTURE.md), so modules never renumber each other's. A module's new migration can therefore sort below one
 * another module applied earlier: Flyway applies it anyway ({@code out-of-order}), which is safe because a module's
 * migrations touch only its own tables.
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
                                "spring.flyway.create-schemas", "true",
                                "spring.flyway.out-of-order", "true")));
    }
}

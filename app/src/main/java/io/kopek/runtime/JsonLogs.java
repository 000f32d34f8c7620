package io.kopek.runtime;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns {@code kopek.logs.json=true} into Spring Boot's structured ECS console format. It runs before the
 * logging system starts, so even the first lines of a start-up are JSON.
 */
class JsonLogs implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getProperty("kopek.logs.json", Boolean.class, false)) {
            environment
                    .getPropertySources()
                    .addFirst(new MapPropertySource(
                            "kopekJsonLogs",
                            Map.of(
                                    "logging.structured.format.console",
                                    "ecs",
                                    "logging.structured.ecs.service.name",
                                    "kopek")));
        }
    }
}

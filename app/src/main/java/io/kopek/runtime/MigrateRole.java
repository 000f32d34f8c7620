package io.kopek.runtime;

import io.kopek.deployment.Role;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code kopek.roles=migrate}: a deployment's migration step (the compose file's {@code migrate} service, the
 * Kubernetes {@code kopek-migrate} Job). Flyway applies the migrations while the context starts, as in any process,
 * but here with no port listened on ({@code server.port=-1}: the web application context, whose security every
 * process shares, is made, its server never started) and with Flyway on whatever the shared configuration says
 * (production turns it off for the processes that serve: {@code SPRING_FLYWAY_ENABLED=false}); no role's beans exist,
 * so no worker, scheduler or endpoint starts, and {@link io.kopek.KopekApplication#main} exits once the context is up. The role runs alone:
 * a process that migrates and then serves is what every other role already is with Flyway on.
 */
public final class MigrateRole implements EnvironmentPostProcessor, Ordered {

    static final String SOURCE = "kopekMigrateRole";

    /** Whether this process only migrates (and should exit once its context has started). */
    public static boolean only(Environment environment) {
        return roles(environment).contains(Role.MIGRATE);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        // Beside another role: refused by MigrateRoleAlone once the context refreshes. Thrown here, before Spring
        // Boot has set the logging system up, the refusal also came out as Boot's multi-line failure banner, whose
        // logger the configuration silences only once logging is set up.
        if (!readRoles(environment).equals(Set.of(Role.MIGRATE))) {
            return;
        }
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(SOURCE, Map.of("server.port", "-1", "spring.flyway.enabled", "true")));
    }

    /**
     * Refuses {@code migrate} beside another role before any bean is made (nothing migrates, nothing listens), in
     * Kopek's one start-up failure line.
     */
    static void requireAlone(Environment environment) {
        Set<Role> roles = readRoles(environment);
        if (roles.contains(Role.MIGRATE) && roles.size() > 1) {
            throw new InvalidConfigurationPropertyValueException(
                    "kopek.roles",
                    roles.stream()
                            .map(r -> r.name().toLowerCase(java.util.Locale.ROOT))
                            .collect(Collectors.joining(",")),
                    "the migrate role runs alone (kopek.roles=migrate): it applies the migrations and exits");
        }
    }

    /** The roles, or none when one is unknown: KopekProperties reports that, in one line, as for any other process. */
    private static Set<Role> readRoles(Environment environment) {
        try {
            return roles(environment);
        } catch (BindException unknownRole) {
            return Set.of();
        }
    }

    private static Set<Role> roles(Environment environment) {
        return Binder.get(environment)
                .bind("kopek.roles", Bindable.setOf(Role.class))
                .orElseGet(Role::platform);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after the configuration files are read
    }
}

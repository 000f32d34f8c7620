package io.kopek.runtime;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.flyway.autoconfigure.FlywayProperties;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * With start-up migration off ({@code spring.flyway.enabled=false}, as production runs the processes that serve,
 * leaving the migrations to the migrate role), a process does not start on a database that lacks a migration its code
 * needs: it waits up to {@code kopek.migrations.await} for the migrate step that runs beside it (the Kubernetes Job is
 * applied with the Deployments), then fails in one line naming what is missing. So new code never serves an old
 * schema whatever the order things were applied in: a rolling update's new pods stay unready and the old ones serve.
 * A database initializer in Spring Boot's sense ({@link Detector}): beans that depend on the schema wait for it.
 */
class SchemaCheck implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(SchemaCheck.class);
    private static final Duration POLL = Duration.ofSeconds(2);

    private final DataSource dataSource;
    private final FlywayProperties flyway;
    private final Duration wait;

    SchemaCheck(DataSource dataSource, FlywayProperties flyway, Duration wait) {
        this.dataSource = dataSource;
        this.flyway = flyway;
        this.wait = wait;
    }

    @Override
    public void afterPropertiesSet() throws InterruptedException {
        Flyway reader = Flyway.configure(getClass().getClassLoader())
                .dataSource(dataSource)
                .locations(flyway.getLocations().toArray(String[]::new))
                .schemas(flyway.getSchemas().toArray(String[]::new))
                .defaultSchema(flyway.getDefaultSchema())
                .table(flyway.getTable())
                .outOfOrder(flyway.isOutOfOrder())
                .load();
        long deadline = System.nanoTime() + wait.toNanos();
        boolean told = false;
        while (true) {
            MigrationInfo[] pending = reader.info().pending();
            if (pending.length == 0) {
                return;
            }
            if (System.nanoTime() >= deadline) {
                throw new InvalidConfigurationPropertyValueException(
                        "spring.flyway.enabled",
                        "false",
                        "the database lacks " + pending.length + " migration(s) this version needs ("
                                + describe(pending) + ") and start-up migration is off: run the migrate role first"
                                + " (KOPEK_ROLES=migrate: the compose file's migrate service, the kopek-migrate Job),"
                                + " or wait longer for it (kopek.migrations.await, now " + wait + ")");
            }
            if (!told) {
                log.info(
                        "waiting up to {} for the migrate step: the database lacks {} migration(s) ({})",
                        wait,
                        pending.length,
                        describe(pending));
                told = true;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static String describe(MigrationInfo[] pending) {
        return Arrays.stream(pending)
                        .limit(3)
                        .map(m -> "V" + m.getVersion() + " " + m.getDescription())
                        .collect(Collectors.joining(", "))
                + (pending.length > 3 ? ", ..." : "");
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "spring.flyway.enabled", havingValue = "false")
    static class Registration {

        @Bean
        SchemaCheck schemaCheck(DataSource dataSource, Environment environment, KopekProperties kopek) {
            FlywayProperties flyway = Binder.get(environment).bindOrCreate("spring.flyway", FlywayProperties.class);
            return new SchemaCheck(dataSource, flyway, kopek.migrations().await());
        }
    }

    /** Makes the check a database initializer: what depends on the schema (the job repository, Quartz) waits for it. */
    static class Detector extends AbstractBeansOfTypeDatabaseInitializerDetector {

        @Override
        protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
            return Set.of(SchemaCheck.class);
        }
    }
}

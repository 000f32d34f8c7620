package io.kopek.scheduler;

import io.kopek.deployment.Role;
import io.kopek.scheduler.quartz.ClusterJobStore;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.quartz.autoconfigure.QuartzProperties;
import org.springframework.boot.quartz.autoconfigure.SchedulerFactoryBeanCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Quartz as Spring Boot configures it ({@code spring.quartz.*}), made a cluster on PostgreSQL ({@code kopek.scheduler.*}),
 * started only in processes with the scheduler role. Every process with this module has the (unstarted) scheduler:
 * the API changes schedules through it, in the database, and a running scheduler process of the cluster acts on them.
 * The work it fires lives in the batch role, so a scheduler process is a batch process too.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SchedulerProperties.class)
class QuartzConfiguration {

    @Bean
    SchedulerFactoryBeanCustomizer kopekQuartz(
            SchedulerProperties properties, QuartzProperties boot, Environment environment) {
        Set<Role> roles = roles(environment);
        boolean runs = roles.contains(Role.SCHEDULER);
        if (runs && !roles.contains(Role.BATCH)) {
            throw new InvalidConfigurationPropertyValueException(
                    "kopek.roles",
                    roles.stream()
                            .map(r -> r.name().toLowerCase(java.util.Locale.ROOT))
                            .collect(Collectors.joining(",")),
                    "the scheduler role runs the batch role's work, so a process with the scheduler role needs the"
                            + " batch role too (e.g. kopek.roles=batch,scheduler)");
        }
        return factory -> {
            Properties quartz = new Properties();
            quartz.putAll(boot.getProperties());
            quartz.setProperty("org.quartz.scheduler.instanceName", properties.clusterName());
            quartz.setProperty("org.quartz.scheduler.instanceId", properties.instanceId());
            quartz.setProperty(
                    "org.quartz.scheduler.idleWaitTime",
                    Long.toString(properties.idleWait().toMillis()));
            quartz.setProperty("org.quartz.threadPool.threadCount", Integer.toString(properties.threads()));
            quartz.setProperty("org.quartz.jobStore.class", ClusterJobStore.class.getName());
            quartz.setProperty(
                    "org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
            quartz.setProperty("org.quartz.jobStore.tablePrefix", "qrtz_");
            quartz.setProperty("org.quartz.jobStore.isClustered", "true");
            quartz.setProperty(
                    "org.quartz.jobStore.clusterCheckinInterval",
                    Long.toString(properties.checkinInterval().toMillis()));
            quartz.setProperty(
                    "org.quartz.jobStore.misfireThreshold",
                    Long.toString(properties.misfireThreshold().toMillis()));
            // Job data as strings only (no Java serialisation in the database).
            quartz.setProperty("org.quartz.jobStore.useProperties", "true");
            factory.setQuartzProperties(quartz);
            factory.setSchedulerName(properties.clusterName());
            factory.setAutoStartup(runs);
        };
    }

    /** The platform's roles unless {@code kopek.roles} names some (as {@code @ConditionalOnRole} reads them). */
    static Set<Role> roles(Environment environment) {
        return Binder.get(environment)
                .bind("kopek.roles", Bindable.setOf(Role.class))
                .orElseGet(Role::platform);
    }
}

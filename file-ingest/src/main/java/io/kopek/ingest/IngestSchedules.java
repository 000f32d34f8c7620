package io.kopek.ingest;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.schedule.ScheduledWork;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * One {@link ScheduledWork} per SFTP source, {@code registryIntake<Provider>}: the provider's new files fetched and
 * imported during the day (misfires run once: one fetch does what the missed ones would have), every
 * {@code poll-every} by default. Registered as beans before the context is refreshed, since their number comes from
 * configuration; the scheduler module turns each into a Quartz schedule.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.BATCH)
class IngestSchedules {

    @Bean
    static BeanDefinitionRegistryPostProcessor registryIntakeSchedules() {
        return new Registrar();
    }

    static final class Registrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware, BeanFactoryAware {

        private Environment environment;
        private BeanFactory beans;

        @Override
        public void setEnvironment(Environment environment) {
            this.environment = environment;
        }

        @Override
        public void setBeanFactory(BeanFactory beans) {
            this.beans = beans;
        }

        @Override
        public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
            Map<String, IngestProperties.Source> sources = Binder.get(environment)
                    .bind("kopek.ingest.sources", Bindable.mapOf(String.class, IngestProperties.Source.class))
                    .orElse(Map.of());
            sources.forEach((provider, source) -> {
                String name = scheduleName(provider);
                String cron = cronOf(provider, source.pollEvery());
                RootBeanDefinition work = new RootBeanDefinition(
                        ScheduledWork.class,
                        () -> new ScheduledWork(
                                name,
                                "Fetch and import the new settlement registries of " + provider
                                        + " (reconciled by the day's chain)",
                                cron,
                                ScheduledWork.Misfire.RUN_ONCE_NOW,
                                () -> beans.getBean(SftpIntake.class).fetchAndImport(provider)));
                registry.registerBeanDefinition(name, work);
            });
        }
    }

    /** {@code registryIntakeYookassa}: letters and digits of the provider's id, each part capitalised. */
    static String scheduleName(String provider) {
        StringBuilder name = new StringBuilder("registryIntake");
        boolean upper = true;
        for (char c : provider.toCharArray()) {
            if (Character.isLetterOrDigit(c) && c < 128) {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            } else {
                upper = true;
            }
        }
        return name.toString();
    }

    /**
     * The cron expression of "every {@code every}", firing at round times: whole seconds that divide a minute,
     * minutes that divide an hour, or hours that divide a day ({@code 10m}: {@code 0 0/10 * * * ?}).
     */
    static String cronOf(String provider, Duration every) {
        long s = every.toSeconds();
        if (every.toMillis() % 1000 == 0 && s > 0) {
            if (s < 60 && 60 % s == 0) {
                return "0/" + s + " * * * * ?";
            }
            long m = s / 60;
            if (s % 60 == 0 && m < 60 && 60 % m == 0) {
                return "0 0/" + m + " * * * ?";
            }
            long h = s / 3600;
            if (s % 3600 == 0 && h <= 24 && 24 % h == 0) {
                return h == 24 ? "0 0 0 * * ?" : "0 0 0/" + h + " * * ?";
            }
        }
        throw new IllegalStateException(String.format(
                Locale.ROOT,
                "kopek.ingest.sources.%s.poll-every: %s is not whole seconds dividing a minute, minutes dividing an"
                        + " hour or hours dividing a day",
                provider,
                every));
    }
}

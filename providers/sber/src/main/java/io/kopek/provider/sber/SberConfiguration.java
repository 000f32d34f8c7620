package io.kopek.provider.sber;

import io.kopek.provider.PaymentProvider;
import io.kopek.provider.RegistryParser;
import io.kopek.provider.registry.RegistrySettings;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/** Registers the Sber provider and its registry parser when {@code kopek.providers.sber.enabled=true}. */
@AutoConfiguration
@EnableConfigurationProperties(SberProperties.class)
public class SberConfiguration {

    @Bean
    @ConditionalOnProperty(name = "kopek.providers.sber.enabled", havingValue = "true")
    PaymentProvider sberProvider(SberProperties properties) {
        return new SberProvider(properties);
    }

    /** The registry layout from {@code kopek.providers.sber.registry}, each setting left out taken from the defaults. */
    @Bean
    @ConditionalOnProperty(name = "kopek.providers.sber.enabled", havingValue = "true")
    RegistryParser sberRegistryParser(Environment environment) {
        return new SberRegistryParser(Binder.get(environment)
                .bind("kopek.providers.sber.registry", RegistrySettings.class)
                .orElse(null));
    }
}

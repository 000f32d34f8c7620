package io.kopek.provider.sber;

import io.kopek.provider.PaymentProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** Registers the Sber provider when {@code kopek.providers.sber.enabled=true}. */
@AutoConfiguration
@EnableConfigurationProperties(SberProperties.class)
public class SberConfiguration {

    @Bean
    @ConditionalOnProperty(name = "kopek.providers.sber.enabled", havingValue = "true")
    PaymentProvider sberProvider(SberProperties properties) {
        return new SberProvider(properties);
    }
}

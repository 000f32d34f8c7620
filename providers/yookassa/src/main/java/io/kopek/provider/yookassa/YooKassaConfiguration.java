package io.kopek.provider.yookassa;

import io.kopek.provider.PaymentProvider;
import io.kopek.provider.RegistryParser;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** Registers the YooKassa provider and its registry parser when {@code kopek.providers.yookassa.enabled=true}: a module on the classpath is all it takes. */
@AutoConfiguration
@EnableConfigurationProperties({YooKassaProperties.class, YooKassaRegistryProperties.class})
public class YooKassaConfiguration {

    @Bean
    @ConditionalOnProperty(name = "kopek.providers.yookassa.enabled", havingValue = "true")
    PaymentProvider yooKassaProvider(YooKassaProperties properties) {
        return new YooKassaProvider(properties);
    }

    @Bean
    @ConditionalOnProperty(name = "kopek.providers.yookassa.enabled", havingValue = "true")
    RegistryParser yooKassaRegistryParser(YooKassaRegistryProperties properties) {
        return new YooKassaRegistryParser(properties);
    }
}

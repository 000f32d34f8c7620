package io.kopek.notification.webhook;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhookProperties.class)
class WebhookConfiguration {

    @Bean
    Secrets webhookSecrets(WebhookProperties properties) {
        return new Secrets(properties.secretKey());
    }

    @Bean
    Destinations webhookDestinations(WebhookProperties properties) {
        return new Destinations(properties.allowHttp(), properties.allowedNetworks());
    }
}

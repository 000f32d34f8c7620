package io.kopek.ingest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IngestProperties.class)
class IngestConfiguration {

    @Bean
    Staging staging(IngestProperties properties) {
        return new Staging(properties.stagingDirectory());
    }

    /** Without the batch jobs, a fetched file is imported at once. */
    @Bean
    @ConditionalOnMissingBean
    FetchedRegistries importFetched(RegistryImport imports) {
        return imports::importFile;
    }
}

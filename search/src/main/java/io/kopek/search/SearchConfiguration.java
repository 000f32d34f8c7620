package io.kopek.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.outbox.Outbox;
import io.kopek.outbox.OutboxConsumer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.http.Header;
import org.apache.http.HttpHeaders;
import org.apache.http.HttpHost;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The engine's client, made here and not by Spring Boot (whose Elasticsearch support manages the 9.x client, which an
 * 8.19 server refuses), and the indexer's parts; all of it only with {@code kopek.search.enabled=true}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SearchProperties.class)
class SearchConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty("kopek.search.enabled")
    static class Enabled {

        @Bean(destroyMethod = "close")
        RestClient searchRestClient(SearchProperties properties) {
            HttpHost[] hosts = properties.uris().stream()
                    .map(uri -> new HttpHost(uri.getHost(), uri.getPort(), uri.getScheme()))
                    .toArray(HttpHost[]::new);
            List<Header> headers = new ArrayList<>();
            if (properties.apiKey() != null && !properties.apiKey().isBlank()) {
                headers.add(new BasicHeader(HttpHeaders.AUTHORIZATION, "ApiKey " + properties.apiKey()));
            } else if (properties.username() != null && !properties.username().isBlank()) {
                String basic =
                        properties.username() + ":" + (properties.password() == null ? "" : properties.password());
                headers.add(new BasicHeader(
                        HttpHeaders.AUTHORIZATION,
                        "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8))));
            }
            return RestClient.builder(hosts)
                    .setDefaultHeaders(headers.toArray(Header[]::new))
                    .setRequestConfigCallback(c -> c.setConnectTimeout(2_000).setSocketTimeout(60_000))
                    .build();
        }

        @Bean
        SearchIndex searchIndex(RestClient restClient, SearchProperties properties) {
            var transport = new RestClientTransport(restClient, new JacksonJsonpMapper(new ObjectMapper()));
            return new SearchIndex(new ElasticsearchClient(transport), properties.retry(), Clock.systemUTC());
        }

        @Bean
        SearchIndexer searchIndexer(
                OutboxConsumer outbox,
                Documents documents,
                SearchIndex index,
                SearchProperties properties,
                JdbcClient jdbc,
                ObjectProvider<MeterRegistry> meters) {
            return new SearchIndexer(
                    outbox, documents, index, properties, jdbc, meters.getIfAvailable(SimpleMeterRegistry::new));
        }

        @Bean
        Reindex reindex(
                JdbcClient jdbc,
                SearchIndex index,
                Documents documents,
                OutboxConsumer consumer,
                Outbox outbox,
                PlatformTransactionManager transactions,
                SearchProperties properties) {
            return new Reindex(
                    jdbc, index, documents, consumer, outbox, new TransactionTemplate(transactions), properties);
        }

        @Bean
        DriftCheck driftCheck(
                SearchIndex index,
                JdbcClient jdbc,
                DriftResults results,
                Outbox outbox,
                BusinessCalendar calendar,
                PlatformTransactionManager transactions,
                SearchProperties properties) {
            return new DriftCheck(
                    index, jdbc, results, outbox, calendar, new TransactionTemplate(transactions), properties.drift());
        }

        @Bean
        @ConditionalOnRole(Role.BATCH)
        SearchWorkers searchWorkers(
                SearchIndexer indexer, Reindex reindex, SearchIndex index, SearchProperties properties) {
            return new SearchWorkers(indexer, reindex, index, properties);
        }
    }
}

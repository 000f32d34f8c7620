package io.kopek.api;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The threads Tomcat runs requests on: {@code kopek.api.request-threads}, {@code platform} (the default) or
 * {@code virtual}. Kopek runs its background work on virtual threads ({@code spring.threads.virtual.enabled}), and
 * Spring Boot then gives Tomcat a new virtual thread per request too. For requests, Tomcat's own pool of platform
 * threads measured cheaper: a hold or a capture parks and resumes its virtual thread at each of its database round
 * trips, and the pair cost the application 0.73 ms of CPU on virtual threads against 0.63 ms on the pool in the api
 * benchmark (bench/README.md). The pool's size is Spring Boot's {@code server.tomcat.threads.*}.
 */
@Configuration(proxyBeanMethods = false)
class RequestThreads {

    @Bean
    @ConditionalOnProperty(name = "kopek.api.request-threads", havingValue = "platform", matchIfMissing = true)
    PlatformThreads platformRequestThreads() {
        return new PlatformThreads();
    }

    /**
     * Runs after Spring Boot's customizer that hands Tomcat a virtual-thread executor (order 1), and takes it back:
     * a protocol handler without an executor makes its own pool when it starts.
     */
    static final class PlatformThreads
            implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

        @Override
        public void customize(ConfigurableTomcatWebServerFactory factory) {
            factory.addProtocolHandlerCustomizers(handler -> handler.setExecutor(null));
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}

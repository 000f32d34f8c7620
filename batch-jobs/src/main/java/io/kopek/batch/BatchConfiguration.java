package io.kopek.batch;

import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.boot.batch.autoconfigure.BatchTaskExecutor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BatchProperties.class)
class BatchConfiguration {

    /** Runs start on a thread of their own: {@link Jobs#start} answers at once with the run's id. */
    @Bean
    @BatchTaskExecutor
    TaskExecutor batchTaskExecutor() {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("batch-");
        executor.setVirtualThreads(true);
        return executor;
    }

    /** A managed registry: it registers every {@code Job} bean, which restarting a run needs. */
    @Bean
    MapJobRegistry jobRegistry() {
        return new MapJobRegistry();
    }
}

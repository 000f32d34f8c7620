package io.kopek.batch.settlement;

import io.kopek.batch.BatchProperties;
import io.kopek.batch.PartitionOwners;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.reconciliation.ReconciliationProperties;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.integration.partition.MessageChannelPartitionHandler;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.integration.amqp.dsl.Amqp;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.core.MessagingTemplate;
import org.springframework.integration.dsl.IntegrationFlow;

/**
 * Where the {@code reconciliation} job's partitions run: the bean {@code reconciliationPartitions}, the partition
 * handler of its {@code matchPartitions} step.
 *
 * <ul>
 *   <li><b>Local</b> (the default): on virtual threads of the process that runs the job, at most
 *       {@code kopek.reconciliation.threads} at once.
 *   <li><b>Remote</b> ({@code kopek.reconciliation.remote.enabled}): Spring Batch remote partitioning over RabbitMQ.
 *       The manager sends one {@code StepExecutionRequest} per partition (JSON, persistent) to the durable queue
 *       {@code kopek.reconciliation.remote.queue} and learns of their ends by polling the job repository, no reply
 *       queue; every batch process with remote on is also a worker (unless {@code consumers} is 0), taking one request
 *       at a time (prefetch 1) and acknowledging it only once the partition ended ({@link PartitionRequests}). A
 *       worker that dies leaves its request unacknowledged: RabbitMQ gives it to another worker, which marks the
 *       partition FAILED instead of running it again, so the manager's step fails and a restart runs that partition.
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.BATCH)
class ReconciliationPartitionHandlers {

    // Each nested configuration says all its conditions: the component scan finds it on its own too.

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnRole(Role.BATCH)
    @ConditionalOnBooleanProperty(
            name = "kopek.reconciliation.remote.enabled",
            havingValue = false,
            matchIfMissing = true)
    static class Local {

        @Bean
        PartitionHandler reconciliationPartitions(
                @Qualifier(ReconciliationJob.WORKER_STEP) Step matchPartition, ReconciliationProperties properties) {
            SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor("reconciliation-partition-");
            threads.setVirtualThreads(true);
            threads.setConcurrencyLimit(properties.threads());
            TaskExecutorPartitionHandler handler = new TaskExecutorPartitionHandler();
            handler.setStep(matchPartition);
            handler.setTaskExecutor(threads);
            return handler;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnRole(Role.BATCH)
    @ConditionalOnBooleanProperty("kopek.reconciliation.remote.enabled")
    static class Remote {

        @Bean
        Queue reconciliationPartitionQueue(ReconciliationJobProperties properties) {
            return QueueBuilder.durable(properties.remote().queue()).build();
        }

        @Bean
        DirectChannel reconciliationPartitionRequests() {
            return new DirectChannel();
        }

        /** The manager's requests onto the queue, through the default exchange. */
        @Bean
        IntegrationFlow reconciliationPartitionsOut(
                ConnectionFactory rabbit,
                @Qualifier("reconciliationPartitionRequests") DirectChannel requests,
                ReconciliationJobProperties properties) {
            RabbitTemplate template = new RabbitTemplate(rabbit);
            template.setMessageConverter(new StepExecutionRequests());
            return IntegrationFlow.from(requests)
                    .handle(Amqp.outboundAdapter(template)
                            .routingKey(properties.remote().queue())
                            // nothing of the Spring Integration message but the request: the body says it all
                            .mappedRequestHeaders())
                    .get();
        }

        @Bean
        PartitionHandler reconciliationPartitions(
                @Qualifier("reconciliationPartitionRequests") DirectChannel requests,
                JobRepository repository,
                PartitionOwners owners,
                ReconciliationJobProperties properties)
                throws Exception {
            MessagingTemplate messaging = new MessagingTemplate();
            messaging.setDefaultChannel(requests);
            MessageChannelPartitionHandler handler = new MessageChannelPartitionHandler();
            handler.setStepName(ReconciliationJob.WORKER_STEP);
            handler.setMessagingOperations(messaging);
            handler.setJobRepository(repository); // polls the repository: no reply queue
            handler.setPollInterval(properties.remote().pollInterval().toMillis());
            handler.setTimeout(properties.remote().timeout().toMillis());
            // Not a bean of its own: its @Aggregator method is for the reply-queue mode, unused here.
            handler.afterPropertiesSet();
            return new RemotePartitionHandler(
                    handler, repository, owners, properties.remote().timeout());
        }

        /** This process as a worker: {@code consumers} requests at a time, each acknowledged once its partition ended. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnRole(Role.BATCH)
        @ConditionalOnExpression(
                "${kopek.reconciliation.remote.enabled:false} and ${kopek.reconciliation.remote.consumers:1} > 0")
        static class Worker {

            @Bean
            PartitionRequests reconciliationPartitionRequestHandler(
                    @Qualifier(ReconciliationJob.WORKER_STEP) Step matchPartition,
                    JobRepository repository,
                    PartitionOwners owners,
                    ReconciliationJobProperties properties) {
                return new PartitionRequests(
                        matchPartition, repository, owners, properties.remote().pollInterval());
            }

            @Bean
            IntegrationFlow reconciliationPartitionsIn(
                    ConnectionFactory rabbit,
                    PartitionRequests requests,
                    ReconciliationJobProperties properties,
                    BatchProperties batch) {
                SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(rabbit);
                container.setQueueNames(properties.remote().queue());
                container.setConcurrentConsumers(properties.remote().consumers());
                // One request at a time: a second one held by a busy worker would wait behind its partition.
                container.setPrefetchCount(1);
                // Acknowledged when the handler returns, that is when the partition ended; a worker that dies before
                // leaves it to RabbitMQ to hand to another.
                container.setAcknowledgeMode(AcknowledgeMode.AUTO);
                // A request the handler cannot take (unreadable, of no known step execution) is dropped, not looped.
                container.setDefaultRequeueRejected(false);
                container.setMissingQueuesFatal(false);
                // A stopping worker (SIGTERM) ends the partition it runs, as long as stopping runs may take; cut short,
                // it is a worker that died: its request goes to another, which fails the partition for a restart.
                container.setShutdownTimeout(batch.stopTimeout().toMillis());
                return IntegrationFlow.from(
                                Amqp.inboundAdapter(container).messageConverter(new StepExecutionRequests()))
                        .handle(requests, "handle")
                        .get();
            }
        }
    }
}

package io.kopek.batch.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.BatchTestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.integration.dsl.IntegrationFlow;

/**
 * A process without the batch role (an API node) starts without the reconciliation job and has no partitions to run,
 * locally or remotely: with remote partitioning on, it neither sends to nor takes from the queue.
 */
@SpringBootTest(
        classes = BatchTestApplication.class,
        properties = {"kopek.roles=api", "kopek.reconciliation.remote.enabled=true"})
class ApiRoleWithRemoteTest {

    @Autowired
    ApplicationContext context;

    @Test
    void aProcessWithoutTheBatchRoleHasNoPartitionHandlerNorFlowToRabbitMq() {
        assertThat(context.getBeansOfType(PartitionHandler.class)).isEmpty();
        assertThat(context.getBeansOfType(IntegrationFlow.class))
                .doesNotContainKeys("reconciliationPartitionsIn", "reconciliationPartitionsOut");
    }
}

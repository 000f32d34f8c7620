package io.kopek.batch.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.BatchTestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/** A process without the batch role (an API node) starts without the job's local partition handler. */
@SpringBootTest(classes = BatchTestApplication.class, properties = "kopek.roles=api")
class ApiRoleWithoutRemoteTest {

    @Autowired
    ApplicationContext context;

    @Test
    void aProcessWithoutTheBatchRoleHasNoLocalPartitionHandler() {
        assertThat(context.getBeansOfType(PartitionHandler.class)).isEmpty();
    }
}

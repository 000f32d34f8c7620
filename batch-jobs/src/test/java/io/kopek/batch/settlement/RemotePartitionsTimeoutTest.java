package io.kopek.batch.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.BatchTestApplication;
import io.kopek.batch.JobRun;
import io.kopek.batch.Jobs;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A manager whose partitions no worker takes (this process takes none, and none other listens on its queue): its step
 * fails at {@code kopek.reconciliation.remote.timeout} instead of waiting for ever, and the partitions left waiting
 * are marked FAILED, so that a restart could run them. Against the local RabbitMQ (127.0.0.1:5672, guest), on a queue
 * of this test's own.
 */
@SpringBootTest(
        classes = BatchTestApplication.class,
        properties = {
            "kopek.reconciliation.partitions=3",
            "kopek.reconciliation.remote.enabled=true",
            "kopek.reconciliation.remote.consumers=0",
            "kopek.reconciliation.remote.poll-interval=100ms",
            "kopek.reconciliation.remote.timeout=3s",
            "spring.rabbitmq.host=127.0.0.1",
            "spring.rabbitmq.port=5672"
        })
class RemotePartitionsTimeoutTest {

    static final String QUEUE = "kopek.test.partitions." + UUID.randomUUID();
    static AmqpAdmin admin;

    @DynamicPropertySource
    static void queue(DynamicPropertyRegistry registry) {
        registry.add("kopek.reconciliation.remote.queue", () -> QUEUE);
    }

    @Autowired
    Jobs jobs;

    @Autowired
    void rabbit(AmqpAdmin rabbit) {
        admin = rabbit;
    }

    @AfterAll
    static void deleteTheQueue() {
        admin.deleteQueue(QUEUE);
    }

    @Test
    void partitionsNoWorkerTakesFailTheStepAtTheTimeoutAndAreMarkedFailed() {
        LocalDate day = LocalDate.of(2025, 3, 15); // long past: the chain's tests count the recent days' runs
        long started = System.nanoTime();

        JobRun run = jobs.run(
                ReconciliationJob.NAME,
                Map.of(
                        "provider",
                        "nobody" + UUID.randomUUID().toString().substring(0, 8),
                        "businessDate",
                        day.toString()),
                Duration.ofMinutes(1));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        assertThat(run.status()).isEqualTo("FAILED");
        assertThat(run.steps())
                .filteredOn(s -> s.name().equals("matchPartitions"))
                .singleElement()
                .satisfies(s -> assertThat(s.exitDescription()).contains("kopek.reconciliation.remote.timeout"));
        assertThat(run.steps())
                .filteredOn(s -> s.name().startsWith("matchPartition:"))
                .hasSize(3)
                .allSatisfy(s -> {
                    assertThat(s.status()).isEqualTo("FAILED");
                    assertThat(s.error()).contains("no batch worker took this partition");
                });
        assertThat(run.steps()).extracting(JobRun.Step::name).doesNotContain("closeRun");
        assertThat(admin.getQueueInfo(QUEUE).getMessageCount())
                .as("the requests sent, waiting on the durable queue")
                .isEqualTo(3);
    }
}

package io.kopek.api;

import io.kopek.batch.JobRun;
import io.kopek.batch.Jobs;
import io.kopek.sandbox.atol.AtolSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * API tests with the fiscal gateway sending receipts to an ATOL simulator over HTTP, and the batch jobs that do it
 * run through the batch module.
 */
@SpringBootTest(
        classes = io.kopek.ApiTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "kopek.fiscal.company.inn=7707083893",
            "kopek.fiscal.company.sno=osn",
            "kopek.fiscal.company.email=shop@example.ru",
            "kopek.fiscal.company.payment-address=https://shop.example.ru",
            "kopek.fiscal.outbox-settle=0s",
            "kopek.fiscal.poll-interval=0s",
            "kopek.fiscal.atol.enabled=true",
            "kopek.fiscal.atol.login=api-test",
            "kopek.fiscal.atol.password=api-test-password",
            "kopek.fiscal.atol.group=api-test_1"
        })
abstract class FiscalApiTest extends ApiTest {

    static final AtolSimulator atol;

    static {
        try {
            atol = AtolSimulator.start(0, "api-test", "api-test-password", "api-test_1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void atolUrl(DynamicPropertyRegistry registry) {
        registry.add("kopek.fiscal.atol.base-url", () -> atol.baseUrl().toString());
    }

    @Autowired
    Jobs jobs;

    /**
     * Runs a job to its end through the batch module (the job-control API is the scheduler module's now, which this
     * module's tests do not run).
     */
    JobRun runToTheEnd(String job) {
        return jobs.run(job, Map.of(), Duration.ofSeconds(60));
    }
}

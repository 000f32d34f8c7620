package io.kopek.api;

import io.kopek.sandbox.atol.AtolSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * API tests with the fiscal gateway sending receipts to an ATOL simulator over HTTP, and the batch jobs that do it
 * started through the API.
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

    /** Starts a run through the API and follows it there until it ends. */
    JsonNode runToTheEnd(ApiClient as, String job) {
        var started = as.post("/api/v1/jobs/" + job + "/runs", "{}");
        if (started.status() != 202) {
            throw new AssertionError("cannot start " + job + ": " + started);
        }
        return awaitEnd(as, started.id());
    }

    JsonNode awaitEnd(ApiClient as, long runId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            var run = as.get("/api/v1/job-runs/" + runId);
            String status = run.body().path("status").asString();
            if (!status.equals("STARTING") && !status.equals("STARTED") && !status.equals("STOPPING")) {
                return run.body();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job run " + runId + " still runs: " + run);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}

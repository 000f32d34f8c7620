package io.kopek.scheduler;

import io.kopek.SchedulerTestApplication;
import io.kopek.api.ApiKeys;
import io.kopek.api.ApiRole;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.NewCustomer;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/** Base of the job-control tests: the application on a random port with the test jobs, and keys per role. */
@SpringBootTest(classes = SchedulerTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestJobs.class)
abstract class JobControlTest {

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys keys;

    @Autowired
    Customers customers;

    Http as(ApiRole role) {
        Long customer = role == ApiRole.CUSTOMER
                ? customers
                        .create(new NewCustomer(CustomerType.INDIVIDUAL, "Test buyer", "buyer@example.ru", null, null))
                        .id()
                : null;
        return new Http(port, keys.issue(role, customer, "test " + role.code()).key());
    }

    Http withoutKey() {
        return new Http(port, null);
    }

    /** Follows a run through the API until it ends. */
    static JsonNode awaitEnd(Http as, long runId) {
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
            pause(50);
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The body that starts {@code slowCount}; a null reason is left out. */
    static String slow(int passes, int pauseMs, String reason) {
        return "{\"parameters\":{\"passes\":\"" + passes + "\",\"pauseMs\":\"" + pauseMs + "\"}"
                + (reason == null ? "" : ",\"reason\":\"" + reason + "\"") + "}";
    }
}

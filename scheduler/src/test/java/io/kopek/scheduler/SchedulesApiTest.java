package io.kopek.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kopek.SchedulerTestApplication;
import io.kopek.api.ApiKeys;
import io.kopek.api.ApiRole;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.NewCustomer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The schedules through the API, on a scheduler of a cluster of its own (so no other test context of this JVM takes
 * its firings): a cron set through the API fires the work, pause and resume take effect, a trigger fires once, each
 * change audited with who and why; bad crons and unknown schedules are refused; who may do what.
 */
@SpringBootTest(
        classes = SchedulerTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"kopek.scheduler.cluster-name=schedules-api-test", "kopek.scheduler.idle-wait=1s"})
@Import(TestWorks.class)
class SchedulesApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys keys;

    @Autowired
    Customers customers;

    @Autowired
    TestWorks.Firings firings;

    PlainHttp operator;
    PlainHttp admin;

    @BeforeEach
    void keys() {
        operator = as(ApiRole.OPERATOR, "night shift");
        admin = as(ApiRole.ADMIN, "test admin");
    }

    @Test
    void everyWorkIsAScheduleWithItsDefaultCronInTheBusinessZone() {
        JsonNode list = json(operator.get("/api/v1/schedules"), 200);

        JsonNode holdExpiry = named(list, "holdExpiry");
        assertThat(holdExpiry.get("default_cron").asString()).isEqualTo("0/30 * * * * ?");
        assertThat(holdExpiry.get("time_zone").asString()).isEqualTo("Europe/Moscow");
        assertThat(holdExpiry.get("misfire").asString()).isEqualTo("run_once_now");
        assertThat(holdExpiry.get("next_fire_at").isNull()).isFalse();
        assertThat(holdExpiry.has("running")).isTrue();
        assertThat(named(list, "testOnTime").get("misfire").asString()).isEqualTo("wait_for_next");
        assertThat(list.valueStream().map(s -> s.get("name").asString()))
                .contains(
                        "batchRecovery",
                        "cardPaymentCheck",
                        "idempotencyRetention",
                        "overdueInvoices",
                        "partitionRetention",
                        "reportDispatch",
                        "reportRetention");
    }

    @Test
    void aCronSetThroughTheApiFiresTheWorkAndPauseAndResumeTakeEffect() {
        JsonNode changed = json(
                operator.post(
                        "/api/v1/schedules/testTick/cron",
                        "{\"cron\":\"0/1 * * * * ?\",\"reason\":\"faster during the test\"}"),
                200);
        assertThat(changed.get("cron").asString()).isEqualTo("0/1 * * * * ?");
        assertThat(changed.get("default_cron").asString()).isEqualTo(TestWorks.FAR);
        int before = firings.runs("testTick");
        await().atMost(Duration.ofSeconds(15)).until(() -> firings.runs("testTick") >= before + 2);

        assertThat(json(operator.post("/api/v1/schedules/testTick/pause", "{\"reason\":\"provider outage\"}"), 200)
                        .get("paused")
                        .asBoolean())
                .isTrue();
        sleep(Duration.ofSeconds(2)); // a firing under way when paused may still end
        int paused = firings.runs("testTick");
        sleep(Duration.ofSeconds(3));
        assertThat(firings.runs("testTick")).as("no firing while paused").isEqualTo(paused);

        assertThat(json(admin.post("/api/v1/schedules/testTick/resume", "{\"reason\":\"provider back\"}"), 200)
                        .get("paused")
                        .asBoolean())
                .isFalse();
        await().atMost(Duration.ofSeconds(15)).until(() -> firings.runs("testTick") >= paused + 2);

        JsonNode audit = json(operator.get("/api/v1/audit?limit=100"), 200).get("data");
        assertThat(entry(audit, "schedule_changed", "testTick").get("reason").asString())
                .isEqualTo("faster during the test");
        assertThat(entry(audit, "schedule_changed", "testTick")
                        .get("details")
                        .get("cron")
                        .asString())
                .isEqualTo("0/1 * * * * ?");
        assertThat(entry(audit, "schedule_paused", "testTick").get("actor").asString())
                .isEqualTo("key:night shift");
        assertThat(entry(audit, "schedule_paused", "testTick").get("role").asString())
                .isEqualTo("operator");
        assertThat(entry(audit, "schedule_resumed", "testTick").get("actor").asString())
                .isEqualTo("key:test admin");

        operator.post("/api/v1/schedules/testTick/cron", "{\"cron\":\"" + TestWorks.FAR + "\"}");
    }

    @Test
    void aTriggerFiresTheWorkOnceNowEvenWhenPausedAndARepeatedKeyDoesNotFireAgain() {
        json(operator.post("/api/v1/schedules/testManual/pause", "{}"), 200);
        int before = firings.runs("testManual");

        PlainHttp.Answer first = operator.post(
                "/api/v1/schedules/testManual/trigger", "{\"reason\":\"re-run after the fix\"}", "trigger-once");
        PlainHttp.Answer repeated = operator.post(
                "/api/v1/schedules/testManual/trigger", "{\"reason\":\"re-run after the fix\"}", "trigger-once");

        assertThat(first.status()).isEqualTo(202);
        assertThat(repeated.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(15)).until(() -> firings.runs("testManual") == before + 1);
        sleep(Duration.ofSeconds(3));
        assertThat(firings.runs("testManual")).isEqualTo(before + 1);
        JsonNode audit = json(operator.get("/api/v1/audit?action=schedule_triggered"), 200)
                .get("data");
        assertThat(entry(audit, "schedule_triggered", "testManual")
                        .get("reason")
                        .asString())
                .isEqualTo("re-run after the fix");
        json(operator.post("/api/v1/schedules/testManual/resume", "{}"), 200);
    }

    @Test
    void aBadCronIsA400AndChangesNothing() {
        for (String cron : List.of("every minute", "0 0 25 * * ?", "* * * * * *", "0 0 0 1 1 ? 2001", "")) {
            PlainHttp.Answer answer =
                    operator.post("/api/v1/schedules/testTick/cron", "{\"cron\":\"" + cron + "\",\"reason\":\"typo\"}");
            assertThat(answer.status()).as(cron).isEqualTo(400);
            assertThat(answer.body()).as(cron).contains("invalid-cron");
        }
        assertThat(named(json(operator.get("/api/v1/schedules"), 200), "testTick")
                        .get("cron")
                        .asString())
                .isNotEqualTo("every minute");
    }

    @Test
    void anUnknownScheduleIsA404() {
        assertThat(operator.post("/api/v1/schedules/noSuchSchedule/pause", "{}").status())
                .isEqualTo(404);
        assertThat(operator.post("/api/v1/schedules/noSuchSchedule/cron", "{\"cron\":\"0 0 * * * ?\"}")
                        .status())
                .isEqualTo(404);
        assertThat(operator.post("/api/v1/schedules/noSuchSchedule/trigger", "{}")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aReasonBeyondItsLimitIsA400() {
        PlainHttp.Answer answer = operator.post(
                "/api/v1/schedules/testManual/pause", "{\"reason\":\"" + "x".repeat(AuditLog.MAX_REASON + 1) + "\"}");
        assertThat(answer.status()).isEqualTo(400);
    }

    @Test
    void theAuditLogIsPagedNewestFirstAndFilteredByActionAndTime() {
        for (int i = 0; i < 3; i++) {
            json(operator.post("/api/v1/schedules/testOnTime/pause", "{\"reason\":\"page " + i + "\"}"), 200);
        }
        JsonNode first = json(operator.get("/api/v1/audit?action=schedule_paused&limit=2"), 200);
        assertThat(first.get("data")).hasSize(2);
        long newest = first.get("data").get(0).get("id").asLong();
        long second = first.get("data").get(1).get("id").asLong();
        assertThat(newest).isGreaterThan(second);
        assertThat(first.get("data").get(0).get("reason").asString()).isEqualTo("page 2");
        JsonNode next = json(
                operator.get("/api/v1/audit?action=schedule_paused&limit=2&cursor="
                        + first.get("next_cursor").asString()),
                200);
        assertThat(next.get("data").get(0).get("id").asLong()).isLessThan(second);
        assertThat(json(operator.get("/api/v1/audit?to=2000-01-01"), 200).get("data"))
                .isEmpty();
        assertThat(json(operator.get("/api/v1/audit?from=2000-01-01T00:00:00Z&action=schedule_paused"), 200)
                        .get("data"))
                .isNotEmpty();
        assertThat(operator.get("/api/v1/audit?action=deleted_everything").status())
                .isEqualTo(400);
        json(operator.post("/api/v1/schedules/testOnTime/resume", "{}"), 200);
    }

    /** The scheduler module's part of the role matrix (online-api's EndpointMatrixTest sees only its own). */
    @Test
    void customersAndSignedOutCallersGetNothingAndStaffWhatTheirRoleAllows() {
        long customer = customers
                .create(new NewCustomer(CustomerType.INDIVIDUAL, "Test buyer", "buyer@example.ru", null, null))
                .id();
        PlainHttp customerKey = new PlainHttp(
                port, keys.issue(ApiRole.CUSTOMER, customer, "test customer").key());
        PlainHttp nobody = new PlainHttp(port, null);
        PlainHttp accountant = as(ApiRole.ACCOUNTANT, "test accountant");
        PlainHttp finance = as(ApiRole.FINANCE, "test finance");
        Map<String, String> posts = Map.of(
                "/api/v1/schedules/testOnTime/cron", "{\"cron\":\"" + TestWorks.FAR + "\"}",
                "/api/v1/schedules/testOnTime/pause", "{}",
                "/api/v1/schedules/testOnTime/resume", "{}",
                "/api/v1/schedules/testOnTime/trigger", "{}");
        List<String> gets = List.of("/api/v1/schedules", "/api/v1/audit");

        for (String path : gets) {
            assertThat(nobody.get(path).status()).as(path).isEqualTo(401);
            assertThat(customerKey.get(path).status()).as(path).isEqualTo(403);
            assertThat(accountant.get(path).status()).as(path).isEqualTo(403);
            assertThat(operator.get(path).status()).as(path).isEqualTo(200);
            assertThat(admin.get(path).status()).as(path).isEqualTo(200);
        }
        assertThat(finance.get("/api/v1/schedules").status()).isEqualTo(200);
        assertThat(finance.get("/api/v1/audit").status()).isEqualTo(403);
        posts.forEach((path, body) -> {
            assertThat(nobody.post(path, body).status()).as(path).isEqualTo(401);
            assertThat(customerKey.post(path, body).status()).as(path).isEqualTo(403);
            assertThat(accountant.post(path, body).status()).as(path).isEqualTo(403);
            assertThat(finance.post(path, body).status()).as(path).isEqualTo(403);
        });
        assertThat(operator.post("/api/v1/schedules/testOnTime/pause", "{}").status())
                .isEqualTo(200);
        assertThat(admin.post("/api/v1/schedules/testOnTime/resume", "{}").status())
                .isEqualTo(200);
    }

    private PlainHttp as(ApiRole role, String name) {
        return new PlainHttp(port, keys.issue(role, null, name).key());
    }

    private static JsonNode json(PlainHttp.Answer answer, int status) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        return JSON.readTree(answer.body());
    }

    private static JsonNode named(JsonNode list, String name) {
        return list.valueStream()
                .filter(s -> s.get("name").asString().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no schedule " + name + " in " + list));
    }

    private static JsonNode entry(JsonNode entries, String action, String target) {
        return entries.valueStream()
                .filter(e -> e.get("action").asString().equals(action)
                        && e.get("target").asString().equals(target))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + action + " of " + target + " in " + entries));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

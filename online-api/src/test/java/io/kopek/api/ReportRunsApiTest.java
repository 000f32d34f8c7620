package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kopek.batch.report.ReportDispatch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Reports through the API: the catalogue, asking for runs, who may do what, and what is refused. */
class ReportRunsApiTest extends ApiTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ReportDispatch dispatch;

    long runs() {
        return jdbc.sql("select count(*) from report_run").query(Long.class).single();
    }

    static final String RECONCILIATION_DAY =
            "{\"report\":\"reconciliation\",\"format\":\"xlsx\",\"filters\":{\"from\":\"2026-12-03\",\"to\":\"2026-12-03\",\"provider\":\"yookassa\"}}";

    @Test
    void theCatalogueSaysWhatEachReportTakes() {
        var catalogue = as(ApiRole.FINANCE, null).get("/api/v1/reports");

        assertThat(catalogue.status()).isEqualTo(200);
        assertThat(catalogue.body().size()).isEqualTo(12);
        var reconciliation = catalogue.body().get(0);
        assertThat(reconciliation.path("report").asString()).isEqualTo("reconciliation");
        assertThat(reconciliation.path("title").asString()).isEqualTo("Сверка с реестром провайдера");
        assertThat(reconciliation.path("required").toString()).contains("provider", "from", "to");
        assertThat(reconciliation.path("formats").toString()).contains("xlsx", "pdf", "csv");
    }

    @Test
    void anAccountantAsksForARunAndARepeatOfTheRequestIsReplayed() {
        ApiClient accountant = as(ApiRole.ACCOUNTANT, null);

        var first = accountant.post("/api/v1/report-runs", RECONCILIATION_DAY, "report-key-1");
        var again = accountant.post("/api/v1/report-runs", RECONCILIATION_DAY, "report-key-1");

        assertThat(first.status()).as(first.toString()).isEqualTo(202);
        assertThat(first.body().path("file_name").asString()).isEqualTo("reconciliation_yookassa_2026-12-03.xlsx");
        assertThat(first.body().path("requested_by").asString()).isEqualTo("test accountant");
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.raw().headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(again.id()).isEqualTo(first.id());
        var listed = as(ApiRole.FINANCE, null).get("/api/v1/report-runs?report=reconciliation&state=queued&limit=200");
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        assertThat(listed.body().findValuesAsString("file_name")).contains("reconciliation_yookassa_2026-12-03.xlsx");
        var wrongState = accountant.get("/api/v1/report-runs?state=done");
        assertThat(wrongState.status()).isEqualTo(400);
        assertThat(wrongState.body().path("errors").get(0).path("field").asString())
                .isEqualTo("state");
        assertThat(accountant.get("/api/v1/report-runs?report=salaries").status())
                .isEqualTo(400);
        var seen = as(ApiRole.OPERATOR, null).get("/api/v1/report-runs/" + first.id());
        assertThat(seen.status()).isEqualTo(200);
        assertThat(seen.body().path("report").asString()).isEqualTo("reconciliation");
    }

    @Test
    void aRunIsMadeByTheBatchRoleAndItsFileDownloadsWithItsNameTypeAndDigest() throws Exception {
        ApiClient accountant = as(ApiRole.ACCOUNTANT, null);
        String day =
                java.time.LocalDate.now(java.time.ZoneId.of("Europe/Moscow")).toString();
        long buyer = customer(io.kopek.customer.CustomerType.COMPANY);
        assertThat(accountant
                        .post(
                                "/api/v1/customers/" + buyer + "/top-ups",
                                "{\"amount\":" + ApiClient.money(1_500_00) + ",\"reference\":\"PP-" + buyer + "\"}")
                        .status())
                .isEqualTo(201);

        long id = accountant
                .post(
                        "/api/v1/report-runs",
                        "{\"report\":\"turnover\",\"format\":\"csv\",\"csv_profile\":\"plain\",\"filters\":{\"from\":\""
                                + day + "\",\"to\":\"" + day + "\"}}")
                .id();
        var done = await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> {
                            dispatch.dispatch(); // what the batch role's schedule does every few seconds
                            return accountant.get("/api/v1/report-runs/" + id);
                        },
                        r -> r.body().path("state").asString().equals("succeeded"));
        HttpResponse<byte[]> file;
        try (HttpClient http = HttpClient.newHttpClient()) {
            file = http.send(
                    HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/api/v1/report-runs/" + id + "/file"))
                            .header(
                                    "Authorization",
                                    "Bearer "
                                            + keys.issue(ApiRole.FINANCE, null, "finance")
                                                    .key())
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        }

        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type")).hasValue("text/csv");
        assertThat(file.headers().firstValue("Content-Disposition").orElseThrow())
                .contains("attachment")
                .contains("turnover_" + day + ".csv");
        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(file.body());
        assertThat(file.headers().firstValue("Repr-Digest"))
                .hasValue("sha-256=:" + Base64.getEncoder().encodeToString(sha256) + ":");
        assertThat(done.body().path("sha256").asString())
                .isEqualTo(java.util.HexFormat.of().formatHex(sha256));
        assertThat(done.body().path("row_count").asLong()).isPositive();
        assertThat(new String(file.body(), java.nio.charset.StandardCharsets.UTF_8))
                .startsWith("account,");
        assertThat(accountant.get("/api/v1/report-runs/" + id + "/file").status())
                .isEqualTo(200);
    }

    @Test
    void aRunWithoutItsFileYetAnswersAConflict() {
        ApiClient accountant = as(ApiRole.ACCOUNTANT, null);
        long id = accountant.post("/api/v1/report-runs", RECONCILIATION_DAY).id();

        var early = accountant.get("/api/v1/report-runs/" + id + "/file");

        assertThat(early.status()).isEqualTo(409);
        assertThat(early.problemType()).isEqualTo("report-run-not-ready");
        assertThat(accountant.get("/api/v1/report-runs/999999999/file").status())
                .isEqualTo(404);
    }

    @Test
    void operatorsSeeRunsButNeitherAskNorDownloadAndCustomersReachNothing() {
        long id = as(ApiRole.ACCOUNTANT, null)
                .post("/api/v1/report-runs", RECONCILIATION_DAY)
                .id();
        ApiClient operator = as(ApiRole.OPERATOR, null);
        ApiClient customer = as(ApiRole.CUSTOMER, customer(io.kopek.customer.CustomerType.INDIVIDUAL));

        assertThat(operator.get("/api/v1/report-runs").status()).isEqualTo(200);
        assertThat(operator.post("/api/v1/report-runs", RECONCILIATION_DAY).status())
                .isEqualTo(403);
        assertThat(operator.get("/api/v1/report-runs/" + id + "/file").status()).isEqualTo(403);
        assertThat(customer.get("/api/v1/reports").status()).isEqualTo(403);
        assertThat(customer.get("/api/v1/report-runs").status()).isEqualTo(403);
        assertThat(customer.get("/api/v1/report-runs/" + id).status()).isEqualTo(403);
        assertThat(customer.post("/api/v1/report-runs", RECONCILIATION_DAY).status())
                .isEqualTo(403);
    }

    @Test
    void hostileFilterValuesGetAProblemNamingTheFieldAndChangeNothing() {
        ApiClient accountant = as(ApiRole.ACCOUNTANT, null);
        long before = runs();
        String longText = "x".repeat(10_000);

        var quotes = accountant.post("/api/v1/report-runs", payments("\"provider\":\"yoo'kassa\""));
        var comment = accountant.post("/api/v1/report-runs", payments("\"merchant\":\"DEMO;--\""));
        var tooLong = accountant.post("/api/v1/report-runs", payments("\"category\":\"" + longText + "\""));
        var status = accountant.post("/api/v1/report-runs", payments("\"status\":\"' or 1=1 --\""));
        var wrongType = accountant.post("/api/v1/report-runs", payments("\"customer\":\"everyone\""));
        var notADate = accountant.post(
                "/api/v1/report-runs",
                "{\"report\":\"payments\",\"format\":\"xlsx\",\"filters\":{\"from\":\"yesterday\",\"to\":\"2026-12-03\"}}");
        var backwards = accountant.post(
                "/api/v1/report-runs",
                "{\"report\":\"payments\",\"format\":\"xlsx\",\"filters\":{\"from\":\"2026-12-03\",\"to\":\"2026-12-01\"}}");
        var amounts = accountant.post("/api/v1/report-runs", payments("\"min_amount\":500,\"max_amount\":100"));
        var negative = accountant.post("/api/v1/report-runs", payments("\"min_amount\":-1"));
        var notItsFilter = accountant.post(
                "/api/v1/report-runs",
                "{\"report\":\"turnover\",\"format\":\"xlsx\",\"filters\":{\"from\":\"2026-12-01\",\"to\":\"2026-12-03\",\"provider\":\"sber\"}}");
        var unknownReport = accountant.post("/api/v1/report-runs", "{\"report\":\"salaries\",\"format\":\"xlsx\"}");
        var wrongFormat = accountant.post(
                "/api/v1/report-runs",
                "{\"report\":\"bank_statement_1c\",\"format\":\"pdf\",\"filters\":{\"from\":\"2026-12-01\",\"to\":\"2026-12-03\",\"merchant\":\"DEMO\"}}");

        assertField(quotes, "filters.provider");
        assertField(comment, "filters.merchant");
        assertField(tooLong, "filters.category");
        assertField(status, "filters.status");
        assertField(backwards, "filters.from");
        assertField(amounts, "filters.min_amount");
        assertField(negative, "filters.min_amount");
        assertField(notItsFilter, "filters.provider");
        assertField(wrongFormat, "format");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.body().path("detail").asString()).contains("filters.customer");
        assertThat(notADate.status()).isEqualTo(400);
        assertThat(notADate.body().path("detail").asString()).contains("filters.from");
        assertThat(unknownReport.status()).isEqualTo(400);
        assertThat(unknownReport.body().path("detail").asString()).contains("report");
        assertThat(runs()).isEqualTo(before);
    }

    private static String payments(String filter) {
        return "{\"report\":\"payments\",\"format\":\"xlsx\",\"filters\":{\"from\":\"2026-12-01\",\"to\":\"2026-12-03\","
                + filter + "}}";
    }

    private static void assertField(ApiClient.Response answer, String field) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.problemType()).isEqualTo("validation");
        assertThat(answer.body().path("errors").get(0).path("field").asString()).isEqualTo(field);
    }
}

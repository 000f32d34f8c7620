package io.kopek.sandbox.atol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AtolSimulatorTest {

    static final JsonMapper JSON = new JsonMapper();
    static final String GROUP = "v5-online-atol-ru_5179";
    final HttpClient http = HttpClient.newHttpClient();
    AtolSimulator atol;

    @BeforeEach
    void start() throws Exception {
        atol = AtolSimulator.start(0, "v5-online-atol-ru", "zUr0OxfI", GROUP);
    }

    @AfterEach
    void stop() {
        atol.close();
    }

    record Reply(int status, JsonNode body) {}

    Reply send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(atol.baseUrl().resolve(path))
                .header("Content-Type", "application/json; charset=utf-8")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Token", token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), JSON.readTree(response.body()));
    }

    String token() throws Exception {
        return send("POST", "getToken", "{\"login\":\"v5-online-atol-ru\",\"pass\":\"zUr0OxfI\"}", null)
                .body()
                .path("token")
                .asString();
    }

    static String sell(String externalId, String itemSum, String total) {
        return """
                {"external_id":"%s","timestamp":"%s",
                 "receipt":{"client":{"email":"buyer@example.ru"},
                  "company":{"email":"shop@example.ru","sno":"osn","inn":"5544332219","payment_address":"https://v5.online.atol.ru"},
                  "items":[{"name":"Подписка","price":333.33,"quantity":3,"sum":%s,"measure":0,
                            "payment_method":"full_payment","payment_object":4,"vat":{"type":"vat22","sum":180.33}}],
                  "payments":[{"type":1,"sum":%s}],"total":%s}}
                """.formatted(externalId, LocalDateTime.now().format(AtolSimulator.TIMESTAMP), itemSum, total, total);
    }

    @Test
    void aValidSellIsRegisteredWaitsAndThenIsDoneWithFiscalAttributes() throws Exception {
        String token = token();
        atol.processingDelay(Duration.ofMillis(300));

        Reply registered = send("POST", GROUP + "/sell", sell("r-1", "999.99", "999.99"), token);
        assertThat(registered.status()).isEqualTo(200);
        assertThat(registered.body().path("status").asString()).isEqualTo("wait");
        String uuid = registered.body().path("uuid").asString();

        assertThat(send("GET", GROUP + "/report/" + uuid, null, token)
                        .body()
                        .path("status")
                        .asString())
                .isEqualTo("wait");
        Thread.sleep(350);
        JsonNode done = send("GET", GROUP + "/report/" + uuid, null, token).body();
        assertThat(done.path("status").asString()).isEqualTo("done");
        assertThat(done.path("external_id").asString()).isEqualTo("r-1");
        JsonNode payload = done.path("payload");
        assertThat(payload.path("fn_number").asString()).hasSize(16);
        assertThat(payload.path("fiscal_document_number").asLong()).isPositive();
        assertThat(payload.path("fiscal_document_attribute").asString()).isNotBlank();
        assertThat(payload.path("fns_site").asString()).isEqualTo("www.nalog.gov.ru");
        assertThat(payload.path("total").decimalValue()).isEqualByComparingTo("999.99");
    }

    @Test
    void aRepeatedExternalIdAnswersTheSameUuidAndRegistersNothingNew() throws Exception {
        String token = token();
        String first = send("POST", GROUP + "/sell", sell("r-2", "999.99", "999.99"), token)
                .body()
                .path("uuid")
                .asString();

        Reply again = send("POST", GROUP + "/sell", sell("r-2", "999.99", "999.99"), token);

        assertThat(again.body().path("error").path("code").asInt()).isEqualTo(33);
        assertThat(again.body().path("uuid").asString()).isEqualTo(first);
        assertThat(atol.receiptsRegistered()).isEqualTo(1);
        assertThat(atol.registerCalls("r-2")).isEqualTo(2);
    }

    @Test
    void sumsThatDoNotAddUpToTheKopeckAreRefusedWithError32() throws Exception {
        Reply reply = send("POST", GROUP + "/sell", sell("r-3", "1000.00", "1000.00"), token());

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().path("error").path("code").asInt()).isEqualTo(32);
        assertThat(reply.body().path("error").path("text").asString()).contains("items[0].sum");
        assertThat(atol.receiptsRegistered()).isZero();
    }

    @Test
    void whatTheV5ProtocolRefusesIsRefusedWithError32() throws Exception {
        String token = token();
        String valid = sell("r-v", "999.99", "999.99");
        record Case(String change, String from, String to, String problem) {}
        List<Case> cases = List.of(
                new Case("payment object 28", "\"payment_object\":4", "\"payment_object\":28", "payment_object"),
                new Case("payment object 29", "\"payment_object\":4", "\"payment_object\":29", "payment_object"),
                new Case("a calculated rate on a full payment", "\"vat22\"", "\"vat122\"", "vat.type"),
                new Case("a plain rate on a prepayment", "\"full_payment\"", "\"prepayment\"", "vat.type"),
                new Case("seven decimals of quantity", "\"quantity\":3", "\"quantity\":3.0000001", "quantity"),
                new Case("internet as text", "\"total\":", "\"internet\":\"yes\",\"total\":", "internet"));
        for (Case c : cases) {
            String body = valid.replace(c.from(), c.to())
                    .replace("r-v", "r-" + c.change().replace(' ', '-'));
            assertThat(body).as(c.change()).isNotEqualTo(valid);
            Reply reply = send("POST", GROUP + "/sell", body, token);

            assertThat(reply.status()).as(c.change()).isEqualTo(400);
            assertThat(reply.body().path("error").path("code").asInt())
                    .as(c.change())
                    .isEqualTo(32);
            assertThat(reply.body().path("error").path("text").asString())
                    .as(c.change())
                    .contains(c.problem());
        }
        Reply accepted =
                send("POST", GROUP + "/sell", valid.replace("\"total\":", "\"internet\":true,\"total\":"), token);
        assertThat(accepted.status()).isEqualTo(200);
    }

    static String correction(String externalId, String client, String internet, String baseNumber) {
        return """
                {"external_id":"%s","timestamp":"%s",
                 "correction":{%s
                  "company":{"email":"shop@example.ru","sno":"osn","inn":"5544332219","payment_address":"https://v5.online.atol.ru"},
                  "correction_info":{"type":"instruction","base_date":"01.12.2026","base_number":"%s"},
                  "items":[{"name":"Подписка","price":1000.00,"quantity":1,"sum":1000.00,"measure":0,
                            "payment_method":"full_payment","payment_object":4,"vat":{"type":"vat22","sum":180.33}}],
                  "payments":[{"type":1,"sum":1000.00}],%s"total":1000.00}}
                """.formatted(
                        externalId, LocalDateTime.now().format(AtolSimulator.TIMESTAMP), client, baseNumber, internet);
    }

    @Test
    void aCorrectionIsValidatedAsV5DescribesIt() throws Exception {
        String token = token();
        String buyer = "\"client\":{\"email\":\"buyer@example.ru\"},";

        assertThat(send("POST", GROUP + "/sell_correction", correction("c-1", "", "", "ФНС-77-1"), token)
                        .status())
                .as("no client needed for a correction without internet")
                .isEqualTo(200);
        Reply noClient = send(
                "POST", GROUP + "/sell_correction", correction("c-2", "", "\"internet\":true,", "ФНС-77-1"), token);
        assertThat(noClient.status()).isEqualTo(400);
        assertThat(noClient.body().path("error").path("text").asString()).contains("client");
        assertThat(send(
                                "POST",
                                GROUP + "/sell_correction",
                                correction("c-3", buyer, "\"internet\":true,", "ФНС-77-1"),
                                token)
                        .status())
                .isEqualTo(200);
        Reply longBase = send("POST", GROUP + "/sell_correction", correction("c-4", buyer, "", "N".repeat(33)), token);
        assertThat(longBase.status()).isEqualTo(400);
        assertThat(longBase.body().path("error").path("text").asString()).contains("base_number");
    }

    @Test
    void anExpiredTokenIsRefusedWithError11UntilANewOneIsFetched() throws Exception {
        String token = token();
        atol.expireTokens();

        Reply refused = send("POST", GROUP + "/sell", sell("r-4", "999.99", "999.99"), token);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body().path("error").path("code").asInt()).isEqualTo(11);

        assertThat(send("POST", GROUP + "/sell", sell("r-4", "999.99", "999.99"), token())
                        .status())
                .isEqualTo(200);
        assertThat(atol.tokensIssued()).isEqualTo(2);
    }

    @Test
    void wrongCredentialsGetError12() throws Exception {
        Reply reply = send("POST", "getToken", "{\"login\":\"v5-online-atol-ru\",\"pass\":\"nope\"}", null);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.body().path("error").path("code").asInt()).isEqualTo(12);
    }

    @Test
    void offlineRefusesConnectionsAndComesBackOnTheSamePort() throws Exception {
        String token = token();
        var base = atol.baseUrl();
        atol.goOffline();

        assertThatThrownBy(() -> send("GET", GROUP + "/report/x", null, token))
                .hasCauseInstanceOf(ConnectException.class);

        atol.comeBack();
        assertThat(atol.baseUrl()).isEqualTo(base);
        assertThat(send("GET", GROUP + "/report/x", null, token)
                        .body()
                        .path("error")
                        .path("code")
                        .asInt())
                .isEqualTo(30);
    }

    @Test
    void aScriptedRejectionAndAScriptedFailureLookLikeTheOperatorsOwn() throws Exception {
        String token = token();
        atol.rejectNext(1, "ИНН организации не соответствует ККТ").failNextReceipts(1, "Ошибка ФН");

        Reply rejected = send("POST", GROUP + "/sell", sell("r-5", "999.99", "999.99"), token);
        assertThat(rejected.body().path("error").path("text").asString())
                .isEqualTo("ИНН организации не соответствует ККТ");

        String uuid = send("POST", GROUP + "/sell", sell("r-5", "999.99", "999.99"), token)
                .body()
                .path("uuid")
                .asString();
        JsonNode report = send("GET", GROUP + "/report/" + uuid, null, token).body();
        assertThat(report.path("status").asString()).isEqualTo("fail");
        assertThat(report.path("error").path("text").asString()).isEqualTo("Ошибка ФН");
    }
}

package io.kopek.fiscal.atol;

import io.kopek.exchange.JsonExchange;
import io.kopek.fiscal.FiscalAttributes;
import io.kopek.fiscal.FiscalOperator;
import io.kopek.fiscal.FiscalOperatorException;
import io.kopek.fiscal.OperatorReceipt;
import io.kopek.fiscal.OperatorReport;
import io.kopek.fiscal.ReceiptDocument;
import io.kopek.fiscal.ReceiptKind;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * ATOL Online API v5 (FFD 1.2). A token from {@code getToken} is kept and renewed before it expires, or at once
 * when the service says it has expired. {@code POST <group>/sell | sell_refund | sell_correction} with our receipt
 * id as {@code external_id}: error 33 (that external id exists) is the receipt registered earlier, so a resend
 * after a lost answer is harmless. Amounts go as roubles with two decimals. Network errors, 5xx and errors 1, 34
 * and 50 are retryable; validation errors (13, 32, 40) refuse the receipt with ATOL's text.
 */
public class AtolOnlineOperator implements FiscalOperator {

    static final String ID = "atol";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm:ss");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd.MM.yyyy");
    private static final Set<Integer> TOKEN_ERRORS = Set.of(10, 11);
    private static final Set<Integer> VALIDATION_ERRORS = Set.of(13, 31, 32, 40, 41);
    private static final int EXTERNAL_ID_EXISTS = 33;
    private static final int NOT_PROCESSED_YET = 34;
    private static final int REPORT_NOT_FOUND = 30;

    private final AtolProperties properties;
    private final Clock clock;
    private final ZoneId zone;
    /** Whatever keeps ATOL from answering may pass: the receipt is sent again later, with the same external_id. */
    private static final JsonExchange.Failures<FiscalOperatorException> RETRYABLE = new JsonExchange.Failures<>() {
        @Override
        public FiscalOperatorException noAnswer(String detail, Exception cause) {
            return FiscalOperatorException.retryable("ATOL unreachable: " + detail, cause);
        }

        @Override
        public FiscalOperatorException unreadable(String detail, Exception cause) {
            return FiscalOperatorException.retryable(detail, cause);
        }
    };

    private final JsonExchange<FiscalOperatorException> http;
    private final JsonMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();
    private final Object tokenLock = new Object();
    private volatile Token token;

    private record Token(String value, Instant obtainedAt) {}

    private record Reply(int status, JsonNode body) {
        int errorCode() {
            JsonNode error = body.path("error");
            return error.isObject() ? error.path("code").asInt(0) : 0;
        }

        String errorText() {
            JsonNode error = body.path("error");
            return "ATOL error " + error.path("code").asInt(0) + " (HTTP " + status + "): "
                    + error.path("text").asString("");
        }
    }

    public AtolOnlineOperator(AtolProperties properties, Clock clock, ZoneId zone) {
        this.properties = properties;
        this.clock = clock;
        this.zone = zone;
        Objects.requireNonNull(properties.login(), "kopek.fiscal.atol.login is required");
        Objects.requireNonNull(properties.password(), "kopek.fiscal.atol.password is required");
        Objects.requireNonNull(properties.group(), "kopek.fiscal.atol.group is required");
        this.http =
                JsonExchange.with("ATOL Online", properties.connectTimeout(), properties.requestTimeout(), RETRYABLE);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String register(OperatorReceipt receipt) {
        String operation = receipt.document().kind().code();
        byte[] body = json.writeValueAsBytes(body(receipt));
        Reply reply = withToken(
                operation,
                token -> HttpRequest.newBuilder(endpoint(operation))
                        .header("Content-Type", "application/json; charset=utf-8")
                        .header("Token", token)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        String uuid = reply.body().path("uuid").asString("");
        int code = reply.errorCode();
        if (reply.status() == 200 && code == 0 && !uuid.isEmpty()) {
            return uuid;
        }
        if (code == EXTERNAL_ID_EXISTS && !uuid.isEmpty()) {
            // Registered by an earlier attempt whose answer was lost, or by someone else under the same external_id
            // (a restored database): the poller compares the registered total with ours before adopting it.
            return uuid;
        }
        if (code == EXTERNAL_ID_EXISTS) {
            throw FiscalOperatorException.needsPerson("ATOL error 33 without the registered receipt's uuid: a receipt"
                    + " with external_id " + receipt.externalId() + " exists and cannot be identified");
        }
        if (VALIDATION_ERRORS.contains(code)) {
            throw FiscalOperatorException.rejected(reply.errorText());
        }
        throw FiscalOperatorException.retryable(reply.errorText());
    }

    @Override
    public OperatorReport report(String operatorId) {
        Reply reply = withToken(
                "report",
                token -> HttpRequest.newBuilder(endpoint("report/" + operatorId))
                        .header("Token", token)
                        .GET());
        String status = reply.body().path("status").asString("");
        if (reply.errorCode() == NOT_PROCESSED_YET) {
            return OperatorReport.waiting();
        }
        if (reply.errorCode() == REPORT_NOT_FOUND) {
            // ATOL keeps reports 30 days; no retry brings one back.
            throw FiscalOperatorException.needsPerson(reply.errorText());
        }
        if (reply.status() != 200) {
            throw FiscalOperatorException.retryable(reply.errorText());
        }
        return switch (status) {
            case "wait" -> OperatorReport.waiting();
            case "done" ->
                OperatorReport.done(
                        attributes(reply.body().path("payload")),
                        kopecks(reply.body().path("payload").path("total")));
            case "fail" ->
                // error type "timeout": the receipt waited too long in ATOL's queue; ATOL's remedy is a new
                // external_id.
                OperatorReport.failed(
                        reply.errorText(),
                        "timeout".equals(reply.body().path("error").path("type").asString("")));
            default -> throw FiscalOperatorException.retryable("ATOL report without a known status: " + reply.body());
        };
    }

    private static Long kopecks(JsonNode rubles) {
        return rubles.isNumber()
                ? rubles.decimalValue()
                        .movePointRight(2)
                        .setScale(0, java.math.RoundingMode.HALF_UP)
                        .longValueExact()
                : null;
    }

    private FiscalAttributes attributes(JsonNode p) {
        Instant registered = null;
        try {
            registered = LocalDateTime.parse(p.path("receipt_datetime").asString(""), TIMESTAMP)
                    .atZone(zone)
                    .toInstant();
        } catch (DateTimeParseException e) {
            // kept without the time rather than lost
        }
        return new FiscalAttributes(
                p.path("fn_number").asString(null),
                p.path("fiscal_document_number").asLong(),
                p.path("fiscal_document_attribute").asString(null),
                p.hasNonNull("fiscal_receipt_number")
                        ? p.path("fiscal_receipt_number").asLong()
                        : null,
                p.hasNonNull("shift_number") ? p.path("shift_number").asInt() : null,
                registered,
                p.path("ecr_registration_number").asString(null),
                p.path("fns_site").asString(null),
                p.path("ofd_receipt_url").asString(null));
    }

    // ---- the request body (ATOL v5: "receipt", or "correction" with "correction_info")

    private Map<String, Object> body(OperatorReceipt receipt) {
        ReceiptDocument d = receipt.document();
        Map<String, Object> document = new LinkedHashMap<>();
        Map<String, Object> client = new LinkedHashMap<>();
        putIfPresent(client, "email", d.client().email());
        putIfPresent(client, "phone", d.client().phone());
        putIfPresent(client, "name", d.client().name());
        putIfPresent(client, "inn", d.client().inn());
        document.put("client", client);
        Map<String, Object> company = new LinkedHashMap<>();
        company.put("email", d.company().email());
        company.put("sno", d.company().sno().code());
        company.put("inn", d.company().inn());
        company.put("payment_address", d.company().paymentAddress());
        document.put("company", company);
        if (d.kind() == ReceiptKind.SELL_CORRECTION) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("type", d.correction().type());
            info.put("base_date", d.correction().baseDate().format(DATE));
            putIfPresent(info, "base_number", d.correction().baseNumber());
            document.put("correction_info", info);
        }
        List<Map<String, Object>> items = d.items().stream()
                .map(i -> {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("name", i.name());
                    item.put("price", rubles(i.price()));
                    item.put("quantity", i.quantity());
                    item.put("sum", rubles(i.sum()));
                    item.put("measure", i.measure());
                    item.put("payment_method", i.paymentMethod().code());
                    item.put("payment_object", i.paymentObject());
                    item.put("vat", Map.of("type", i.vat().code(), "sum", rubles(i.vatSum())));
                    return item;
                })
                .toList();
        document.put("items", items);
        document.put(
                "payments",
                d.payments().stream()
                        .map(p -> Map.of("type", p.type(), "sum", rubles(p.sum())))
                        .toList());
        document.put("total", rubles(d.total()));
        if (d.internet()) {
            // Tag 1125, "расчёт в сети Интернет": mandatory on a settlement made over the internet since 2025-09-01
            // (FNS letter АБ-4-20/8172@); ATOL v5 carries it as receipt.internet since protocol 3.8.
            document.put("internet", true);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("external_id", receipt.externalId());
        body.put("timestamp", receipt.timestamp().format(TIMESTAMP));
        body.put(d.kind() == ReceiptKind.SELL_CORRECTION ? "correction" : "receipt", document);
        return body;
    }

    private static BigDecimal rubles(long kopecks) {
        return BigDecimal.valueOf(kopecks, 2);
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    // ---- HTTP and the token

    private URI endpoint(String path) {
        return properties.baseUrl().resolve(properties.group() + "/" + path);
    }

    /** Sends with the current token; an expired or missing token is renewed once and the request sent again. */
    private Reply withToken(String what, Function<String, HttpRequest.Builder> request) {
        String current = token();
        Reply reply = send(what, request.apply(current));
        if (reply.status() == 401 && TOKEN_ERRORS.contains(reply.errorCode())) {
            invalidate(current);
            reply = send(what, request.apply(token()));
        }
        return reply;
    }

    private String token() {
        Token t = token;
        if (fresh(t)) {
            return t.value();
        }
        synchronized (tokenLock) {
            t = token;
            if (fresh(t)) {
                return t.value();
            }
            Map<String, String> credentials = Map.of("login", properties.login(), "pass", properties.password());
            Reply reply = send(
                    "getToken",
                    HttpRequest.newBuilder(properties.baseUrl().resolve("getToken"))
                            .header("Content-Type", "application/json; charset=utf-8")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(credentials))));
            String value = reply.body().path("token").asString("");
            if (reply.status() != 200 || value.isEmpty()) {
                // Wrong credentials are a configuration problem: receipts wait until it is fixed.
                throw FiscalOperatorException.retryable("cannot get an ATOL token: " + reply.errorText());
            }
            token = new Token(value, clock.instant());
            return value;
        }
    }

    private boolean fresh(Token t) {
        return t != null
                && clock.instant()
                        .isBefore(
                                t.obtainedAt().plus(properties.tokenLifetime()).minus(properties.tokenRenewBefore()));
    }

    private void invalidate(String value) {
        synchronized (tokenLock) {
            if (token != null && token.value().equals(value)) {
                token = null;
            }
        }
    }

    /** 5xx, no answer and an unreadable one may succeed later; anything else is ATOL's answer. */
    private Reply send(String what, HttpRequest.Builder request) {
        JsonExchange.Answer answer = http.send(what, request);
        Reply reply = new Reply(answer.status(), answer.body());
        if (reply.status() >= 500) {
            throw FiscalOperatorException.retryable(reply.errorText());
        }
        return reply;
    }
}

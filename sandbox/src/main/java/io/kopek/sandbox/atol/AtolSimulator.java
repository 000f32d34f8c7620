package io.kopek.sandbox.atol;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kopek.sandbox.Exchanges;
import io.kopek.sandbox.Idempotence.Answer;
import io.kopek.sandbox.Script;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An ATOL Online API v5 simulator (FFD 1.2 cloud cash register): {@code POST getToken} with login and password,
 * {@code POST {group}/sell}, {@code sell_refund}, {@code sell_correction} with the token in the {@code Token}
 * header, and {@code GET {group}/report/{uuid}}. Requests are validated as the real service does (required fields,
 * item sum = price × quantity to the kopeck, total = Σ items = Σ payments, VAT types and sums, the client's e-mail
 * or phone, the company's INN, tax system and payment address); a repeated {@code external_id} answers error 33
 * with the uuid of the receipt already registered, never a second receipt. A registered receipt is {@code wait}
 * for {@link #processingDelay(Duration)}, then {@code done} with generated fiscal attributes, or {@code fail}.
 *
 * <p>The shared {@link Script} gives latency, 5xx answers ({@code failNext}) and act-then-hang; the methods here
 * add what is particular to a fiscal operator: an outage with the port closed, expired tokens, rejected receipts,
 * failing reports, and counts of what was registered per {@code external_id}.
 */
public final class AtolSimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AtolSimulator.class);
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm:ss");
    static final ZoneId ZONE = ZoneId.of("Europe/Moscow");
    private static final String PREFIX = "/possystem/v5/";
    private static final List<String> OPERATIONS = List.of("sell", "sell_refund", "sell_correction");

    private final String login;
    private final String password;
    private final String groupCode;
    private final Script script = new Script();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicReference<HttpServer> server = new AtomicReference<>();
    private volatile int port;

    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final AtomicReference<Duration> tokenLifetime = new AtomicReference<>(Duration.ofHours(24));
    private final AtomicReference<Duration> processingDelay = new AtomicReference<>(Duration.ZERO);
    private final AtomicInteger rejectionsLeft = new AtomicInteger();
    private final AtomicReference<String> rejection = new AtomicReference<>();
    private final AtomicInteger reportFailuresLeft = new AtomicInteger();
    private final AtomicReference<String> reportFailure = new AtomicReference<>();
    private final AtomicInteger queueTimeoutsLeft = new AtomicInteger();
    private final AtomicInteger existsWithoutUuidLeft = new AtomicInteger();

    private final Map<String, Receipt> byUuid = new ConcurrentHashMap<>();
    private final Map<String, Receipt> byExternalId = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> registerCalls = new ConcurrentHashMap<>();

    // One cash register: its fiscal drive, registration number and counters.
    private final String fnNumber = "9999078902004" + String.format("%03d", (int) (Math.random() * 1000));
    private final String ecrRegistrationNumber = "0000000001002292";
    private final AtomicLong fiscalDocumentNumber = new AtomicLong(100);
    private final AtomicLong fiscalReceiptNumber = new AtomicLong();

    /** One registered receipt; fields after registration change under its monitor. */
    private static final class Receipt {
        final String uuid = UUID.randomUUID().toString();
        final String externalId;
        final String operation;
        final JsonNode request;
        final Instant doneAt;
        final String failure;
        volatile boolean queueTimedOut;
        Map<String, Object> payload;

        Receipt(
                String externalId,
                String operation,
                JsonNode request,
                Instant doneAt,
                String failure,
                boolean queueTimedOut) {
            this.externalId = externalId;
            this.operation = operation;
            this.request = request;
            this.doneAt = doneAt;
            this.failure = failure;
            this.queueTimedOut = queueTimedOut;
        }
    }

    private InetAddress address = InetAddress.getLoopbackAddress();

    private AtolSimulator(String login, String password, String groupCode) {
        this.login = login;
        this.password = password;
        this.groupCode = groupCode;
    }

    /** Starts on a free port of 127.0.0.1 (or {@code port}), accepting these credentials and this group code. */
    public static AtolSimulator start(int port, String login, String password, String groupCode) throws IOException {
        return start(InetAddress.getLoopbackAddress(), port, login, password, groupCode);
    }

    /** Starts on this address (the sandbox's server: every interface of its container) and port. */
    public static AtolSimulator start(InetAddress address, int port, String login, String password, String groupCode)
            throws IOException {
        AtolSimulator simulator = new AtolSimulator(login, password, groupCode);
        simulator.address = address;
        simulator.listen(port);
        log.info("ATOL Online v5 simulator listening on {}", simulator.baseUrl());
        return simulator;
    }

    private void listen(int on) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(address, on), 0);
        http.createContext(PREFIX, this::handle);
        http.setExecutor(executor);
        http.start();
        server.set(http);
        port = http.getAddress().getPort();
    }

    /** The API root, e.g. {@code http://127.0.0.1:40123/possystem/v5/}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + boundPort() + PREFIX);
    }

    private int boundPort() {
        return port;
    }

    public String groupCode() {
        return groupCode;
    }

    public Script script() {
        return script;
    }

    // ---- scripting what is particular to a fiscal operator

    /** The operator is unreachable: the port is closed and connections are refused until {@link #comeBack()}. */
    public synchronized void goOffline() {
        HttpServer http = server.get();
        if (http != null) {
            http.stop(0);
        }
    }

    /** Listens again on the same port after {@link #goOffline()}. */
    public synchronized void comeBack() throws IOException {
        listen(port);
    }

    /** How long a new token is valid (ATOL: 24 h). */
    public AtolSimulator tokenLifetime(Duration lifetime) {
        tokenLifetime.set(lifetime);
        return this;
    }

    /** Every token issued so far has expired: the next call with one is answered with error 11. */
    public void expireTokens() {
        tokens.replaceAll((token, expiry) -> Instant.EPOCH);
    }

    /** How long a registered receipt stays {@code wait} before it is {@code done} (or {@code fail}). */
    public AtolSimulator processingDelay(Duration delay) {
        processingDelay.set(delay);
        return this;
    }

    /** The next {@code count} register calls are refused with a validation error (32) and this text. */
    public AtolSimulator rejectNext(int count, String text) {
        rejection.set(text);
        rejectionsLeft.set(count);
        return this;
    }

    /** The next {@code count} receipts are registered, then fail on the cash register with this text. */
    public AtolSimulator failNextReceipts(int count, String text) {
        reportFailure.set(text);
        reportFailuresLeft.set(count);
        return this;
    }

    /**
     * The next {@code count} receipts are accepted, then fail because they waited too long in the queue (error 1 of
     * type {@code timeout}); ATOL's remedy is to send again under a new external_id.
     */
    public AtolSimulator timeOutNextReceipts(int count) {
        queueTimeoutsLeft.set(count);
        return this;
    }

    /** The next {@code count} register calls answer error 33 (external_id exists) without the receipt's uuid. */
    public AtolSimulator existsWithoutUuidNext(int count) {
        existsWithoutUuidLeft.set(count);
        return this;
    }

    /** Someone else's receipt, registered before under {@code externalId} with this total (a shared group). */
    public synchronized void registerForeign(String externalId, String operation, JsonNode request) {
        Receipt foreign = new Receipt(externalId, operation, request, Instant.now(), null, false);
        byUuid.put(foreign.uuid, foreign);
        byExternalId.put(externalId, foreign);
    }

    /**
     * The receipt registered under {@code externalId} that was reported failed (its queue timed out) is done after
     * all, as an operator's report can be wrong or late.
     */
    public void registeredAfterAll(String externalId) {
        byExternalId.get(externalId).queueTimedOut = false;
    }

    /** Every report is older than the 30 days ATOL keeps them: {@code report} answers error 30. */
    public synchronized void forgetReports() {
        byUuid.clear();
    }

    /** Back to a well-behaved operator (tokens already issued stay valid). */
    public void reset() {
        script.reset();
        tokenLifetime.set(Duration.ofHours(24));
        processingDelay.set(Duration.ZERO);
        rejectionsLeft.set(0);
        reportFailuresLeft.set(0);
        queueTimeoutsLeft.set(0);
        existsWithoutUuidLeft.set(0);
    }

    // ---- what tests read

    /** How many tokens {@code getToken} has issued. */
    public int tokensIssued() {
        return tokensIssued.get();
    }

    /** How many distinct receipts were registered. */
    public int receiptsRegistered() {
        return byUuid.size();
    }

    /** How many register calls carried this {@code external_id} and reached validation (not 5xx, not 401). */
    public int registerCalls(String externalId) {
        AtomicInteger calls = registerCalls.get(externalId);
        return calls == null ? 0 : calls.get();
    }

    /** The body of the request that registered this {@code external_id}, or null. */
    public JsonNode registered(String externalId) {
        Receipt r = byExternalId.get(externalId);
        return r == null ? null : r.request;
    }

    /** The operation ({@code sell}, ...) that registered this {@code external_id}, or null. */
    public String operationOf(String externalId) {
        Receipt r = byExternalId.get(externalId);
        return r == null ? null : r.operation;
    }

    // ---- the protocol

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Exchanges.pause(script.latency());
            if (script.takeFailure()) {
                Exchanges.respondJson(
                        exchange, 500, errorBody(null, 50, "Внутренняя ошибка сервера, повторите запрос", "system"));
                return;
            }
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            String method = exchange.getRequestMethod();
            byte[] body = exchange.getRequestBody().readAllBytes();
            Answer answer;
            if (path.equals("getToken")) {
                answer = getToken(method, body, exchange.getRequestURI().getRawQuery());
            } else {
                answer = authorised(exchange.getRequestHeaders().getFirst("Token"), path);
                if (answer == null) {
                    answer = route(exchange, method, path, body);
                }
            }
            Exchanges.pause(script.takeHang());
            Exchanges.respondJson(exchange, answer.status(), answer.body());
        } catch (RuntimeException e) {
            log.warn("simulator failure", e);
        }
    }

    private Answer route(HttpExchange exchange, String method, String path, byte[] body) {
        String[] parts = path.split("/");
        if (parts.length == 3 && parts[1].equals("report") && method.equals("GET")) {
            return report(parts[2]);
        }
        if (parts.length == 2 && method.equals("POST") && OPERATIONS.contains(parts[1])) {
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
                return new Answer(415, errorBody(null, 41, "Неверный Content-Type", "system"));
            }
            return register(parts[1], body);
        }
        return new Answer(400, errorBody(null, 31, "Операция не поддерживается: " + path, "system"));
    }

    private Answer getToken(String method, byte[] body, String query) {
        String user;
        String pass;
        if (method.equals("POST")) {
            JsonNode request;
            try {
                request = JSON.readTree(body);
            } catch (JacksonException e) {
                return new Answer(400, tokenBody(null, error(40, "Некорректный запрос", "system")));
            }
            user = request.path("login").asString(null);
            pass = request.path("pass").asString(null);
        } else {
            Map<String, String> params = new LinkedHashMap<>();
            if (query != null) {
                for (String pair : query.split("&")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        params.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                }
            }
            user = params.get("login");
            pass = params.get("pass");
        }
        if (!login.equals(user) || !password.equals(pass)) {
            return new Answer(401, tokenBody(null, error(12, "Неверный логин или пароль", "system")));
        }
        String token = UUID.randomUUID().toString().replace("-", "");
        tokens.put(token, Instant.now().plus(tokenLifetime.get()));
        tokensIssued.incrementAndGet();
        return new Answer(200, tokenBody(token, null));
    }

    /** Null when the token is valid for the group; otherwise the 401 answer. */
    private Answer authorised(String token, String path) {
        if (token == null || token.isBlank()) {
            return new Answer(401, errorBody(null, 10, "Не передан токен", "system"));
        }
        Instant expiry = tokens.get(token);
        if (expiry == null || !Instant.now().isBefore(expiry)) {
            return new Answer(401, errorBody(null, 11, "Срок действия токена истек", "system"));
        }
        if (!path.startsWith(groupCode + "/")) {
            return new Answer(401, errorBody(null, 20, "Код группы не соответствует токену", "system"));
        }
        return null;
    }

    private Answer register(String operation, byte[] raw) {
        JsonNode request;
        try {
            request = JSON.readTree(raw);
        } catch (JacksonException e) {
            return new Answer(400, errorBody(null, 40, "Некорректный запрос: " + e.getOriginalMessage(), "system"));
        }
        String externalId = request.path("external_id").asString("");
        if (!externalId.isEmpty()) {
            registerCalls.computeIfAbsent(externalId, k -> new AtomicInteger()).incrementAndGet();
        }
        synchronized (this) {
            Receipt existing = byExternalId.get(externalId);
            if (take(existsWithoutUuidLeft)) {
                return new Answer(
                        400, errorBody(null, 33, "В системе существует чек с external_id : " + externalId, "system"));
            }
            if (existing != null) {
                return new Answer(
                        400,
                        errorBody(
                                existing.uuid,
                                33,
                                "В системе существует чек с external_id : " + externalId + " и group_code: "
                                        + groupCode,
                                "system"));
            }
            List<String> problems = AtolValidation.problems(operation, request);
            if (problems.isEmpty() && take(rejectionsLeft)) {
                problems = List.of(rejection.get());
            }
            if (!problems.isEmpty()) {
                return new Answer(400, errorBody(null, 32, String.join("; ", problems), "system"));
            }
            String failure = take(reportFailuresLeft) ? reportFailure.get() : null;
            boolean timedOut = failure == null && take(queueTimeoutsLeft);
            Receipt receipt = new Receipt(
                    externalId, operation, request, Instant.now().plus(processingDelay.get()), failure, timedOut);
            byUuid.put(receipt.uuid, receipt);
            byExternalId.put(externalId, receipt);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("uuid", receipt.uuid);
            answer.put("status", "wait");
            answer.put("error", null);
            answer.put("timestamp", now());
            return new Answer(200, JSON.writeValueAsString(answer));
        }
    }

    private Answer report(String uuid) {
        Receipt r = byUuid.get(uuid);
        if (r == null) {
            return new Answer(400, errorBody(uuid, 30, "Не найден чек с uuid " + uuid, "system"));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("uuid", r.uuid);
        body.put("timestamp", now());
        body.put("group_code", groupCode);
        body.put("daemon_code", "prod-agent-1");
        body.put("device_code", "KKT000001");
        body.put("external_id", r.externalId);
        body.put("callback_url", "");
        if (Instant.now().isBefore(r.doneAt)) {
            body.put("status", "wait");
            body.put("error", null);
            body.put("payload", null);
        } else if (r.failure != null) {
            body.put("status", "fail");
            body.put("error", error(1, r.failure, "driver"));
            body.put("payload", null);
        } else if (r.queueTimedOut) {
            body.put("status", "fail");
            body.put("error", error(1, "Превышено время ожидания чека в очереди", "timeout"));
            body.put("payload", null);
        } else {
            body.put("status", "done");
            body.put("error", null);
            body.put("payload", payload(r));
        }
        return new Answer(200, JSON.writeValueAsString(body));
    }

    private Map<String, Object> payload(Receipt r) {
        synchronized (r) {
            if (r.payload == null) {
                JsonNode document =
                        r.request.has("correction") ? r.request.path("correction") : r.request.path("receipt");
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("total", document.path("total").decimalValue());
                p.put("fns_site", "www.nalog.gov.ru");
                p.put("fn_number", fnNumber);
                p.put("shift_number", 23);
                p.put("receipt_datetime", now());
                p.put("fiscal_receipt_number", fiscalReceiptNumber.incrementAndGet());
                p.put("fiscal_document_number", fiscalDocumentNumber.incrementAndGet());
                p.put("ecr_registration_number", ecrRegistrationNumber);
                p.put(
                        "fiscal_document_attribute",
                        Long.toString(1_000_000_000L + Math.floorMod(r.uuid.hashCode(), 3_000_000_000L)));
                p.put("ofd_inn", "7704211201");
                p.put("ofd_receipt_url", "https://ofd.example/receipt/" + r.uuid);
                r.payload = p;
            }
            return r.payload;
        }
    }

    private static boolean take(AtomicInteger counter) {
        return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    private static String now() {
        return LocalDateTime.now(ZONE).format(TIMESTAMP);
    }

    private static Map<String, Object> error(int code, String text, String type) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("error_id", UUID.randomUUID().toString());
        error.put("code", code);
        error.put("text", text);
        error.put("type", type);
        return error;
    }

    private static String errorBody(String uuid, int code, String text, String type) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("uuid", uuid);
        body.put("status", "fail");
        if (code == 33) {
            body.put("status", "wait");
        }
        body.put("error", error(code, text, type));
        body.put("timestamp", now());
        return JSON.writeValueAsString(body);
    }

    private static String tokenBody(String token, Map<String, Object> error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("token", token);
        body.put("timestamp", now());
        return JSON.writeValueAsString(body);
    }

    @Override
    public void close() {
        HttpServer http = server.get();
        if (http != null) {
            http.stop(0);
        }
        executor.shutdownNow();
    }
}

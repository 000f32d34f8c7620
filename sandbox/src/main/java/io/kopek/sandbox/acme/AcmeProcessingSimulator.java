package io.kopek.sandbox.acme;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kopek.sandbox.Exchanges;
import io.kopek.sandbox.Idempotence;
import io.kopek.sandbox.Idempotence.Answer;
import io.kopek.sandbox.Notifier;
import io.kopek.sandbox.Script;
import io.kopek.sandbox.registry.Commission;
import io.kopek.sandbox.registry.Settled;
import io.kopek.sandbox.registry.Settlements;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * "Acme processing", a made-up third-party processing centre with a small JSON API, the worked example of the
 * generic processor: {@code POST /api/payments}, {@code /api/payments/{id}/capture}, {@code /void},
 * {@code /refunds}, {@code GET /api/payments/{id}}; an {@code X-Api-Key} header; {@code Idempotency-Key} replay;
 * amounts in minor units; states NEW, AUTH, PAID, VOID, DECLINED, REFUNDED; callbacks signed with a hex
 * HMAC-SHA256 of the body in {@code X-Signature}.
 */
public final class AcmeProcessingSimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AcmeProcessingSimulator.class);
    private static final JsonMapper JSON = new JsonMapper();
    private static final Duration PAYER_DELAY = Duration.ofMillis(200);

    private final HttpServer server;
    private final String apiKey;
    private final String callbackSecret;
    private final Script script = new Script();
    private final AtomicInteger requests = new AtomicInteger();
    private final Idempotence idempotence = new Idempotence();
    private final AtomicReference<URI> callbackUrl = new AtomicReference<>();
    private final Map<String, Payment> payments = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers =
            Executors.newScheduledThreadPool(2, Thread.ofVirtual().factory());
    private final Notifier notifier = new Notifier(timers, script);
    private final Settlements settlements = new Settlements();
    private final Commission commission = new Commission(150);
    private final AcmeRegistry registry = new AcmeRegistry(settlements, commission);
    private volatile Clock clock = Clock.systemUTC();

    private static final class Payment {
        final String id = "acme_" + UUID.randomUUID().toString().replace("-", "");
        final String orderId;
        final long amount;
        final boolean twoStep;
        final String description;
        String state = "NEW";
        long captured;
        long refunded;
        String error;

        Payment(String orderId, long amount, boolean twoStep, String description) {
            this.orderId = orderId;
            this.amount = amount;
            this.twoStep = twoStep;
            this.description = description;
        }
    }

    private AcmeProcessingSimulator(HttpServer server, String apiKey, String callbackSecret) {
        this.server = server;
        this.apiKey = apiKey;
        this.callbackSecret = callbackSecret;
    }

    public static AcmeProcessingSimulator start(int port, String apiKey, String callbackSecret) throws IOException {
        return start(InetAddress.getLoopbackAddress(), port, apiKey, callbackSecret);
    }

    /** Starts on this address (the sandbox's server: every interface of its container) and port. */
    public static AcmeProcessingSimulator start(InetAddress address, int port, String apiKey, String callbackSecret)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
        AcmeProcessingSimulator simulator = new AcmeProcessingSimulator(server, apiKey, callbackSecret);
        server.createContext("/api/", simulator::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        log.info("Acme processing simulator listening on {}", simulator.baseUrl());
        return simulator;
    }

    /** The API root, e.g. {@code http://127.0.0.1:40123/api/}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/");
    }

    public Script script() {
        return script;
    }

    public void callbacksTo(URI url) {
        callbackUrl.set(url);
    }

    /** Callbacks delivered (answered 2xx by the receiver). */
    /** How many API requests (of any kind, answered or not) Kopek has sent so far. */
    public int requestsReceived() {
        return requests.get();
    }

    public int callbacksDelivered() {
        return notifier.delivered();
    }

    public int paymentsCreated() {
        return payments.size();
    }

    /** The settlement files of what this simulator charged and refunded (fee 1.5 % unless set). */
    public AcmeRegistry registry() {
        return registry;
    }

    /** The clock that dates sales, captures and refunds, and so the settlement day they fall on. */
    public void useClock(Clock clock) {
        this.clock = clock;
    }

    /** Payments created for one of our order ids: more than one is a double charge. */
    public long paymentsFor(String orderId) {
        return payments.values().stream().filter(p -> orderId.equals(p.orderId)).count();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            Exchanges.pause(script.latency());
            if (!apiKey.equals(exchange.getRequestHeaders().getFirst("X-Api-Key"))) {
                Exchanges.respondJson(exchange, 401, error("unauthorized", "bad API key"));
                return;
            }
            if (script.takeFailure()) {
                Exchanges.respondJson(exchange, 502, error("upstream_unavailable", "bank unavailable"));
                return;
            }
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath().substring("/api/".length());
            byte[] body = exchange.getRequestBody().readAllBytes();
            Answer answer;
            if (method.equals("GET") && path.startsWith("payments/")) {
                answer = read(path.substring("payments/".length()));
            } else if (method.equals("POST")) {
                String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
                answer = key == null
                        ? new Answer(400, error("idempotency_key_required", "Idempotency-Key is required"))
                        : idempotence.answer(
                                key,
                                path,
                                body,
                                () -> post(path, body),
                                () -> new Answer(
                                        409, error("idempotency_key_reused", "the key was used for another request")));
            } else {
                answer = new Answer(404, error("not_found", "no such endpoint"));
            }
            Exchanges.pause(script.takeHang());
            Exchanges.respondJson(exchange, answer.status(), answer.body());
        } catch (RuntimeException e) {
            log.warn("simulator failure", e);
        }
    }

    private Answer post(String path, byte[] raw) {
        JsonNode body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
        if (path.equals("payments")) {
            long amount = body.path("amount_minor").asLong(0);
            if (amount <= 0 || !body.path("order_id").isString()) {
                return new Answer(400, error("invalid_request", "order_id and a positive amount_minor are required"));
            }
            Payment p = new Payment(
                    body.path("order_id").asString(),
                    amount,
                    body.path("two_step").asBoolean(false),
                    body.path("description").asString(""));
            payments.put(p.id, p);
            Answer created = ok(201, p); // as created, even if the payer is quicker than this answer
            if (script.payerConfirmsNow() || script.declinesPending()) {
                timers.schedule(() -> payerStep(p), PAYER_DELAY.toMillis(), TimeUnit.MILLISECONDS);
            }
            return created;
        }
        String[] parts = path.split("/");
        Payment p = parts.length == 3 ? payments.get(parts[1]) : null;
        if (p == null) {
            return new Answer(404, error("not_found", "no such payment"));
        }
        long amount = body.path("amount_minor").asLong(0);
        synchronized (p) {
            switch (parts[2]) {
                case "capture" -> {
                    if (!p.state.equals("AUTH")) {
                        return new Answer(409, error("wrong_state", "payment is " + p.state));
                    }
                    if (amount <= 0 || amount > p.amount) {
                        return new Answer(400, error("invalid_amount", "capture between 1 and the authorised amount"));
                    }
                    p.captured = amount;
                    p.state = "PAID";
                    settled(p, Settled.Kind.CAPTURE, p.id, amount, commission.of(amount));
                }
                case "void" -> {
                    if (!p.state.equals("AUTH")) {
                        return new Answer(409, error("wrong_state", "payment is " + p.state));
                    }
                    p.state = "VOID";
                }
                case "refunds" -> {
                    if (!p.state.equals("PAID")) {
                        return new Answer(409, error("wrong_state", "payment is " + p.state));
                    }
                    if (amount <= 0 || amount > p.captured - p.refunded) {
                        return new Answer(400, error("invalid_amount", "refund between 1 and what is left"));
                    }
                    p.refunded += amount;
                    settled(
                            p,
                            Settled.Kind.REFUND,
                            "acme_r_" + UUID.randomUUID().toString().replace("-", ""),
                            amount,
                            0);
                    if (p.refunded == p.captured) {
                        p.state = "REFUNDED";
                    }
                }
                default -> {
                    return new Answer(404, error("not_found", "no such endpoint"));
                }
            }
        }
        callback(p);
        return ok(200, p);
    }

    private void payerStep(Payment p) {
        synchronized (p) {
            if (!p.state.equals("NEW")) {
                return;
            }
            String declined = script.takeDecline();
            if (declined != null) {
                p.state = "DECLINED";
                p.error = declined;
            } else if (p.twoStep) {
                p.state = "AUTH";
            } else {
                p.state = "PAID";
                p.captured = p.amount;
                settled(p, Settled.Kind.PAYMENT, p.id, p.amount, commission.of(p.amount));
            }
        }
        callback(p);
    }

    private void settled(Payment p, Settled.Kind kind, String operationId, long amount, long fee) {
        settlements.add(new Settled(
                p.id,
                operationId,
                p.orderId,
                kind,
                amount,
                fee,
                clock.instant().truncatedTo(ChronoUnit.SECONDS),
                "411111******1111",
                p.description));
    }

    private Answer read(String id) {
        Payment p = payments.get(id);
        return p == null ? new Answer(404, error("not_found", "no such payment")) : ok(200, p);
    }

    private Answer ok(int status, Payment p) {
        synchronized (p) {
            Map<String, Object> payment = new LinkedHashMap<>();
            payment.put("id", p.id);
            payment.put("order_id", p.orderId);
            payment.put("state", p.state);
            payment.put("currency", "RUB");
            payment.put("amount_minor", p.amount);
            payment.put("captured_minor", p.captured);
            payment.put("refunded_minor", p.refunded);
            if (p.state.equals("NEW")) {
                payment.put("redirect_url", baseUrl().resolve("/pay/" + p.id).toString());
            }
            if (p.error != null) {
                payment.put("error", p.error);
            }
            return new Answer(status, JSON.writeValueAsString(Map.of("payment", payment)));
        }
    }

    private void callback(Payment p) {
        URI url = callbackUrl.get();
        if (url == null) {
            return;
        }
        String state;
        synchronized (p) {
            state = p.state;
        }
        String body = JSON.writeValueAsString(Map.of(
                "event_id",
                UUID.randomUUID().toString(),
                "event",
                "payment." + state.toLowerCase(),
                "payment_id",
                p.id));
        notifier.postJson(url, body, Map.of("X-Signature", sign(body.getBytes(StandardCharsets.UTF_8))));
    }

    private String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(callbackSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String error(String code, String message) {
        return JSON.writeValueAsString(Map.of("error_code", code, "message", message));
    }

    @Override
    public void close() {
        server.stop(0);
        timers.shutdownNow();
        notifier.close();
    }
}

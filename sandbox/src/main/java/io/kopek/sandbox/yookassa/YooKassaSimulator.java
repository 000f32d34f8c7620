package io.kopek.sandbox.yookassa;

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
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A YooKassa API v3 simulator: a real HTTP server speaking the subset Kopek uses (payments one- and two-stage,
 * capture with partial amounts, cancel, refunds, reading a payment), with HTTP Basic auth, {@code Idempotence-Key}
 * replay, YooKassa's error bodies, the payer's confirmation step, holds that expire, and notifications sent to a
 * URL. Amounts travel as decimal strings ({@code "100.00"}). A {@link Script} makes it misbehave.
 */
public final class YooKassaSimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(YooKassaSimulator.class);
    private static final JsonMapper JSON = new JsonMapper();
    private static final Duration PAYER_DELAY = Duration.ofMillis(200);

    private final HttpServer server;
    private final String shopId;
    private final String secretKey;
    private final Script script = new Script();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger refundsToCancel = new AtomicInteger();
    private volatile boolean cancelRefundsLater;
    /** Refunds as the API reads them ({@code GET /v3/refunds/{id}}). */
    private final Map<String, Map<String, Object>> refunds = new ConcurrentHashMap<>();

    private final AtomicReference<URI> notificationUrl = new AtomicReference<>();
    private final Map<String, Payment> payments = new ConcurrentHashMap<>();
    private final Idempotence idempotence = new Idempotence();
    private final ScheduledExecutorService timers =
            Executors.newScheduledThreadPool(2, Thread.ofVirtual().factory());
    private final Notifier notifier = new Notifier(timers, script);
    private final Settlements settlements = new Settlements();
    private final Commission commission = new Commission(280);
    private final YooKassaRegistry registry = new YooKassaRegistry(settlements, commission);
    private volatile Clock clock = Clock.systemUTC();

    /** One payment's state; every change happens under its monitor. */
    private static final class Payment {
        final String id;
        final String currency;
        final boolean capture;
        final String description;
        final JsonNode metadata;
        final Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        long amount;
        long refunded;
        String status = "pending";
        Instant expiresAt;
        Instant capturedAt;
        long fee;
        String cancellationParty;
        String cancellationReason;

        Payment(String id, long amount, String currency, boolean capture, String description, JsonNode metadata) {
            this.id = id;
            this.amount = amount;
            this.currency = currency;
            this.capture = capture;
            this.description = description;
            this.metadata = metadata;
        }
    }

    private YooKassaSimulator(HttpServer server, String shopId, String secretKey) {
        this.server = server;
        this.shopId = shopId;
        this.secretKey = secretKey;
    }

    /** Starts on a free port of 127.0.0.1 (or {@code port}), accepting these credentials. */
    public static YooKassaSimulator start(int port, String shopId, String secretKey) throws IOException {
        return start(InetAddress.getLoopbackAddress(), port, shopId, secretKey);
    }

    /** Starts on this address (the sandbox's server: every interface of its container) and port. */
    public static YooKassaSimulator start(InetAddress address, int port, String shopId, String secretKey)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
        YooKassaSimulator simulator = new YooKassaSimulator(server, shopId, secretKey);
        server.createContext("/v3/", simulator::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        log.info("YooKassa simulator listening on {}", simulator.baseUrl());
        return simulator;
    }

    /** The API root, e.g. {@code http://127.0.0.1:40123/v3/}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v3/");
    }

    public Script script() {
        return script;
    }

    /** Where HTTP notifications go (YooKassa's "HTTP-уведомления" setting); null sends none. */
    public void notifyTo(URI url) {
        notificationUrl.set(url);
    }

    /** How many notifications the receiver acknowledged with 200. */
    /** How many API requests (of any kind, answered or not) Kopek has sent so far. */
    public int requestsReceived() {
        return requests.get();
    }

    public int notificationsDelivered() {
        return notifier.delivered();
    }

    /** How many payments were created: a client that double-charges shows here. */
    public int paymentsCreated() {
        return payments.size();
    }

    /** Payments created for one order number (our {@code metadata.order_number}): more than one is a double charge. */
    public long paymentsFor(String orderNumber) {
        return payments.values().stream()
                .filter(p -> p.metadata != null
                        && orderNumber.equals(p.metadata.path("order_number").asString(null)))
                .count();
    }

    /**
     * The next {@code count} refunds are canceled by YooKassa ({@code insufficient_funds}): in the answer to the
     * request, or, {@code later}, after answering {@code pending} (then reading the refund tells).
     */
    public YooKassaSimulator cancelNextRefunds(int count, boolean later) {
        cancelRefundsLater = later;
        refundsToCancel.set(count);
        return this;
    }

    private static boolean take(AtomicInteger left) {
        return left.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    /** The settlement registries of what this simulator charged and refunded (commission 2.8 % unless set). */
    public YooKassaRegistry registry() {
        return registry;
    }

    /** The clock that dates charges and refunds, and so the registry day they fall on. */
    public void useClock(Clock clock) {
        this.clock = clock;
    }

    /** The payer completes a payment that {@link Script#payerConfirms(boolean)} left pending. */
    public void confirmByPayer(String paymentId) {
        payerStep(payment(paymentId));
    }

    /** The authorisation lapses now, as it would at {@code expires_at}. */
    public void expireHold(String paymentId) {
        expire(payment(paymentId));
    }

    private Payment payment(String id) {
        Payment p = payments.get(id);
        if (p == null) {
            throw new IllegalArgumentException("no payment " + id);
        }
        return p;
    }

    // --- HTTP ------------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            Exchanges.pause(script.latency());
            if (!authorised(exchange.getRequestHeaders().getFirst("Authorization"))) {
                Exchanges.respondJson(
                        exchange,
                        401,
                        error("invalid_credentials", "Authentication by given credentials failed", null));
                return;
            }
            if (script.takeFailure()) {
                Exchanges.respondJson(exchange, 500, error("internal_server_error", "Internal server error", null));
                return;
            }
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath().substring("/v3/".length());
            byte[] body = exchange.getRequestBody().readAllBytes();
            Answer answer;
            if (method.equals("POST")) {
                answer = idempotent(exchange.getRequestHeaders().getFirst("Idempotence-Key"), path, body);
            } else if (method.equals("GET") && path.startsWith("payments/")) {
                answer = read(path.substring("payments/".length()));
            } else if (method.equals("GET") && path.startsWith("refunds/")) {
                Map<String, Object> refund = refunds.get(path.substring("refunds/".length()));
                answer = refund == null
                        ? new Answer(404, error("not_found", "Refund not found", null))
                        : new Answer(200, JSON.writeValueAsString(refund));
            } else {
                answer = new Answer(404, error("not_found", "Unknown endpoint " + method + " /v3/" + path, null));
            }
            Exchanges.pause(script.takeHang()); // when scripted: acted, but the client gives up before it hears so
            Exchanges.respondJson(exchange, answer.status(), answer.body());
        } catch (RuntimeException e) {
            log.warn("simulator failure", e);
        }
    }

    private Answer idempotent(String key, String path, byte[] body) {
        if (key == null || key.isBlank() || key.length() > 64) {
            return new Answer(
                    400,
                    error(
                            "invalid_request",
                            "Idempotence-Key header is missing or longer than 64 characters",
                            "Idempotence-Key"));
        }
        return idempotence.answer(
                key,
                path,
                body,
                () -> post(path, body),
                () -> new Answer(
                        400,
                        error(
                                "invalid_request",
                                "Idempotence key duplicated with other request data",
                                "Idempotence-Key")));
    }

    private Answer post(String path, byte[] body) {
        JsonNode request;
        try {
            request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (RuntimeException e) {
            return new Answer(400, error("invalid_request", "Request body is not valid JSON", null));
        }
        if (path.equals("payments")) {
            return create(request);
        }
        if (path.equals("refunds")) {
            return refund(request);
        }
        if (path.startsWith("payments/") && path.endsWith("/capture")) {
            return capture(path.substring("payments/".length(), path.length() - "/capture".length()), request);
        }
        if (path.startsWith("payments/") && path.endsWith("/cancel")) {
            return cancel(path.substring("payments/".length(), path.length() - "/cancel".length()));
        }
        return new Answer(404, error("not_found", "Unknown endpoint POST /v3/" + path, null));
    }

    private Answer create(JsonNode request) {
        Long amount = amount(request.path("amount"));
        if (amount == null || amount <= 0) {
            return new Answer(
                    400,
                    error(
                            "invalid_request",
                            "amount.value must be a positive decimal string with 2 decimals",
                            "amount.value"));
        }
        String currency = request.path("amount").path("currency").asString("");
        if (!currency.equals("RUB")) {
            return new Answer(400, error("invalid_request", "Only RUB is supported in the sandbox", "amount.currency"));
        }
        Payment p = new Payment(
                UUID.randomUUID().toString(),
                amount,
                currency,
                request.path("capture").asBoolean(false),
                request.path("description").asString(null),
                request.path("metadata"));
        payments.put(p.id, p);
        Answer created;
        synchronized (p) {
            created = new Answer(200, json(p)); // as created, even if the payer is quicker than this answer
        }
        if (script.payerConfirmsNow() || script.declinesPending()) {
            timers.schedule(() -> payerStep(p), PAYER_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
        return created;
    }

    /** The payer passes (or fails) 3-D Secure: the payment is charged, held, or declined. */
    private void payerStep(Payment p) {
        String event;
        synchronized (p) {
            if (!p.status.equals("pending")) {
                return;
            }
            String declined = script.takeDecline();
            if (declined != null) {
                cancel(p, "payment_network", declined);
                event = "payment.canceled";
            } else if (p.capture) {
                charged(p);
                event = "payment.succeeded";
            } else {
                p.status = "waiting_for_capture";
                Duration lifetime = script.holdLifetimeNow();
                p.expiresAt = Instant.now().plus(lifetime).truncatedTo(ChronoUnit.MILLIS);
                timers.schedule(() -> expire(p), Math.max(1, lifetime.toMillis()), TimeUnit.MILLISECONDS);
                event = "payment.waiting_for_capture";
            }
        }
        notify(event, p);
    }

    /** Called under the payment's monitor. */
    private void charged(Payment p) {
        p.status = "succeeded";
        p.capturedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        p.fee = commission.of(p.amount);
        settlements.add(new Settled(
                p.id,
                p.id,
                orderNumber(p),
                Settled.Kind.PAYMENT,
                p.amount,
                p.fee,
                p.capturedAt.truncatedTo(ChronoUnit.SECONDS),
                null,
                p.description));
    }

    private static String orderNumber(Payment p) {
        return p.metadata == null ? null : p.metadata.path("order_number").asString(null);
    }

    private void expire(Payment p) {
        synchronized (p) {
            if (!p.status.equals("waiting_for_capture")) {
                return;
            }
            cancel(p, "yoo_money", "expired_on_capture");
        }
        notify("payment.canceled", p);
    }

    private static void cancel(Payment p, String party, String reason) {
        p.status = "canceled";
        p.cancellationParty = party;
        p.cancellationReason = reason;
        p.expiresAt = null;
    }

    private Answer capture(String id, JsonNode request) {
        Payment p = payments.get(id);
        if (p == null) {
            return new Answer(404, error("not_found", "Payment not found", "payment_id"));
        }
        synchronized (p) {
            if (!p.status.equals("waiting_for_capture")) {
                return new Answer(
                        400, error("invalid_request", "Payment in status " + p.status + " cannot be captured", null));
            }
            Long amount = request.has("amount") ? amount(request.path("amount")) : Long.valueOf(p.amount);
            if (amount == null || amount <= 0 || amount > p.amount) {
                return new Answer(
                        400,
                        error(
                                "invalid_request",
                                "Capture amount must be between 0.01 and the authorised amount",
                                "amount.value"));
            }
            p.amount = amount; // YooKassa reports the captured amount as the payment's amount
            charged(p);
            p.expiresAt = null;
        }
        notify("payment.succeeded", p);
        synchronized (p) {
            return new Answer(200, json(p));
        }
    }

    private Answer cancel(String id) {
        Payment p = payments.get(id);
        if (p == null) {
            return new Answer(404, error("not_found", "Payment not found", "payment_id"));
        }
        synchronized (p) {
            if (p.status.equals("canceled")) {
                return new Answer(200, json(p));
            }
            if (!p.status.equals("waiting_for_capture") && !p.status.equals("pending")) {
                return new Answer(
                        400, error("invalid_request", "Payment in status " + p.status + " cannot be canceled", null));
            }
            cancel(p, "merchant", "canceled_by_merchant");
        }
        notify("payment.canceled", p);
        synchronized (p) {
            return new Answer(200, json(p));
        }
    }

    private Answer refund(JsonNode request) {
        Payment p = payments.get(request.path("payment_id").asString(""));
        if (p == null) {
            return new Answer(404, error("not_found", "Payment not found", "payment_id"));
        }
        Map<String, Object> refund;
        synchronized (p) {
            Long amount = amount(request.path("amount"));
            if (!p.status.equals("succeeded")) {
                return new Answer(
                        400, error("invalid_request", "Only succeeded payments can be refunded", "payment_id"));
            }
            if (amount == null || amount < 100 || amount > p.amount - p.refunded) {
                return new Answer(
                        400,
                        error(
                                "invalid_request",
                                "Refund amount must be from 1.00 to what is left to refund",
                                "amount.value"));
            }
            if (take(refundsToCancel)) {
                // YooKassa refunds end "canceled" with cancellation_details (e.g. the shop's balance is too low);
                // the money stays with the payer's payment. At once, or after a "pending" answer.
                String refundId = UUID.randomUUID().toString();
                Map<String, Object> canceled = new LinkedHashMap<>();
                canceled.put("id", refundId);
                canceled.put("payment_id", p.id);
                canceled.put("status", "canceled");
                canceled.put("amount", money(amount, p.currency));
                canceled.put("created_at", clock.instant().toString());
                canceled.put("cancellation_details", Map.of("party", "yoo_money", "reason", "insufficient_funds"));
                refunds.put(refundId, canceled);
                if (cancelRefundsLater) {
                    Map<String, Object> pending = new LinkedHashMap<>(canceled);
                    pending.put("status", "pending");
                    pending.remove("cancellation_details");
                    return new Answer(200, JSON.writeValueAsString(pending));
                }
                return new Answer(200, JSON.writeValueAsString(canceled));
            }
            p.refunded += amount;
            String refundId = UUID.randomUUID().toString();
            Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            settlements.add(new Settled(
                    p.id,
                    refundId,
                    orderNumber(p),
                    Settled.Kind.REFUND,
                    amount,
                    0,
                    at.truncatedTo(ChronoUnit.SECONDS),
                    null,
                    p.description));
            refund = new LinkedHashMap<>();
            refund.put("id", refundId);
            refund.put("payment_id", p.id);
            refund.put("status", "succeeded");
            refund.put("amount", money(amount, p.currency));
            refund.put("created_at", at.toString());
            refunds.put(refundId, refund);
        }
        notifyObject("refund.succeeded", refund);
        return new Answer(200, JSON.writeValueAsString(refund));
    }

    private Answer read(String id) {
        Payment p = payments.get(id);
        if (p == null) {
            return new Answer(404, error("not_found", "Payment not found", "payment_id"));
        }
        synchronized (p) {
            return new Answer(200, json(p));
        }
    }

    // --- notifications ---------------------------------------------------------------------------------------

    private void notify(String event, Payment p) {
        Map<String, Object> object;
        synchronized (p) {
            object = object(p);
        }
        notifyObject(event, object);
    }

    private void notifyObject(String event, Map<String, Object> object) {
        URI url = notificationUrl.get();
        if (url != null) {
            notifier.postJson(
                    url, JSON.writeValueAsString(Map.of("type", "notification", "event", event, "object", object)));
        }
    }

    // --- JSON ------------------------------------------------------------------------------------------------

    private String json(Payment p) {
        return JSON.writeValueAsString(object(p));
    }

    private Map<String, Object> object(Payment p) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", p.id);
        o.put("status", p.status);
        o.put("paid", p.status.equals("waiting_for_capture") || p.status.equals("succeeded"));
        o.put("amount", money(p.amount, p.currency));
        if (p.status.equals("succeeded")) {
            o.put("income_amount", money(p.amount - p.fee, p.currency));
            o.put("captured_at", p.capturedAt.toString());
        }
        o.put("refunded_amount", money(p.refunded, p.currency));
        o.put("refundable", p.status.equals("succeeded") && p.refunded < p.amount);
        o.put("created_at", p.createdAt.toString());
        if (p.expiresAt != null) {
            o.put("expires_at", p.expiresAt.toString());
        }
        if (p.description != null) {
            o.put("description", p.description);
        }
        o.put("metadata", p.metadata == null || p.metadata.isMissingNode() ? Map.of() : p.metadata);
        if (p.status.equals("pending")) {
            o.put(
                    "confirmation",
                    Map.of(
                            "type",
                            "redirect",
                            "confirmation_url",
                            baseUrl().resolve("/checkout/" + p.id).toString()));
        }
        o.put(
                "payment_method",
                Map.of(
                        "type",
                        "bank_card",
                        "id",
                        p.id,
                        "saved",
                        false,
                        "card",
                        Map.of("first6", "555555", "last4", "4444", "card_type", "MasterCard")));
        if (p.cancellationReason != null) {
            o.put("cancellation_details", Map.of("party", p.cancellationParty, "reason", p.cancellationReason));
        }
        o.put("test", true);
        return o;
    }

    private static Map<String, String> money(long kopecks, String currency) {
        return Map.of("value", BigDecimal.valueOf(kopecks, 2).toPlainString(), "currency", currency);
    }

    /** "100.00" -> 10000; null when it is not a decimal string with at most 2 decimals. */
    private static Long amount(JsonNode amount) {
        String value = amount.path("value").asString("");
        if (!value.matches("\\d+(\\.\\d{1,2})?")) {
            return null;
        }
        return new BigDecimal(value).movePointRight(2).longValueExact();
    }

    private static String error(String code, String description, String parameter) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", "error");
        e.put("id", UUID.randomUUID().toString());
        e.put("code", code);
        e.put("description", description);
        if (parameter != null) {
            e.put("parameter", parameter);
        }
        return JSON.writeValueAsString(e);
    }

    private boolean authorised(String header) {
        String expected = "Basic "
                + Base64.getEncoder().encodeToString((shopId + ":" + secretKey).getBytes(StandardCharsets.UTF_8));
        return header != null
                && MessageDigest.isEqual(
                        header.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
        timers.shutdownNow();
        notifier.close();
    }
}

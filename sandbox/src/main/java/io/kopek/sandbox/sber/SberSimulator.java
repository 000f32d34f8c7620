package io.kopek.sandbox.sber;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kopek.sandbox.Exchanges;
import io.kopek.sandbox.Notifier;
import io.kopek.sandbox.Script;
import io.kopek.sandbox.registry.Commission;
import io.kopek.sandbox.registry.Settled;
import io.kopek.sandbox.registry.Settlements;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Sberbank acquiring (RBS REST) simulator: {@code register.do}, {@code registerPreAuth.do}, {@code deposit.do},
 * {@code reverse.do}, {@code refund.do} and {@code getOrderStatusExtended.do} under {@code /payment/rest/}, with
 * {@code userName}/{@code password} in the parameters, amounts in kopecks, business errors as HTTP 200 with an
 * {@code errorCode}, order statuses 0–6, and callbacks (GET with {@code mdOrder}, {@code orderNumber},
 * {@code operation}, {@code status} and the symmetric {@code checksum}).
 */
public final class SberSimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SberSimulator.class);
    private static final JsonMapper JSON = new JsonMapper();
    private static final Duration PAYER_DELAY = Duration.ofMillis(200);

    /** Order statuses of getOrderStatusExtended. */
    static final int CREATED = 0, APPROVED = 1, DEPOSITED = 2, REVERSED = 3, REFUNDED = 4, DECLINED = 6;

    private final HttpServer server;
    private final String userName;
    private final String password;
    private final String callbackKey;
    private volatile PrivateKey callbackSigningKey;
    private final Script script = new Script();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicReference<URI> callbackUrl = new AtomicReference<>();
    private final Map<String, Order> orders = new ConcurrentHashMap<>();
    private final Map<String, String> byNumber = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers =
            Executors.newScheduledThreadPool(2, Thread.ofVirtual().factory());
    private final Notifier notifier = new Notifier(timers, script);
    private final Settlements settlements = new Settlements();
    private final Commission commission = new Commission(190);
    private final SberRegistry registry = new SberRegistry(settlements, commission);
    private volatile Clock clock = Clock.systemUTC();

    private static final class Order {
        final String id = UUID.randomUUID().toString();
        final String number;
        final long amount;
        final boolean preAuth;
        final String description;
        final Instant created = Instant.now();
        int status = CREATED;
        long approved;
        long deposited;
        long refunded;
        int actionCode = 0;
        String actionDescription = "";

        Order(String number, long amount, boolean preAuth, String description) {
            this.number = number;
            this.amount = amount;
            this.preAuth = preAuth;
            this.description = description;
        }
    }

    private SberSimulator(HttpServer server, String userName, String password, String callbackKey) {
        this.server = server;
        this.userName = userName;
        this.password = password;
        this.callbackKey = callbackKey;
    }

    public static SberSimulator start(int port, String userName, String password, String callbackKey)
            throws IOException {
        return start(InetAddress.getLoopbackAddress(), port, userName, password, callbackKey);
    }

    /** Starts on this address (the sandbox's server: every interface of its container) and port. */
    public static SberSimulator start(
            InetAddress address, int port, String userName, String password, String callbackKey) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
        SberSimulator simulator = new SberSimulator(server, userName, password, callbackKey);
        server.createContext("/payment/rest/", simulator::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        log.info("Sber acquiring simulator listening on {}", simulator.baseUrl());
        return simulator;
    }

    /** The REST root, e.g. {@code http://127.0.0.1:40123/payment/rest/}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/payment/rest/");
    }

    public Script script() {
        return script;
    }

    public void callbacksTo(URI url) {
        callbackUrl.set(url);
    }

    public int ordersRegistered() {
        return orders.size();
    }

    /** Orders registered under one order number: Sber refuses a second, so this is never more than one. */
    public long paymentsFor(String orderNumber) {
        return orders.values().stream()
                .filter(o -> orderNumber.equals(o.number))
                .count();
    }

    /**
     * Signs callbacks asymmetrically from now on (RSA-SHA512 with this private key, as the bank does for a merchant
     * who chose it), instead of with the shared key; null goes back to the shared key.
     */
    public void signCallbacksWith(PrivateKey bankKey) {
        this.callbackSigningKey = bankKey;
    }

    /** How many API requests (of any kind, answered or not) Kopek has sent so far. */
    public int requestsReceived() {
        return requests.get();
    }

    public int callbacksDelivered() {
        return notifier.delivered();
    }

    /** The settlement registry of what this simulator deposited and refunded (commission 1.9 % unless set). */
    public SberRegistry registry() {
        return registry;
    }

    /** The clock that dates deposits and refunds, and so the registry day they fall on. */
    public void useClock(Clock clock) {
        this.clock = clock;
    }

    public void expireHold(String orderId) {
        expire(orders.get(orderId));
    }

    // --- HTTP ------------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            Exchanges.pause(script.latency());
            if (script.takeFailure()) {
                Exchanges.respondJson(exchange, 503, "{\"error\":\"Service Unavailable\"}");
                return;
            }
            String method = exchange.getRequestURI().getPath().substring("/payment/rest/".length());
            Map<String, String> params = parse(exchange.getRequestURI().getRawQuery());
            params.putAll(parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            Map<String, Object> answer;
            if (!userName.equals(params.get("userName")) || !password.equals(params.get("password"))) {
                answer = error(5, "Доступ запрещён");
            } else {
                answer = switch (method) {
                    case "register.do" -> register(params, false);
                    case "registerPreAuth.do" -> register(params, true);
                    case "deposit.do" -> deposit(params);
                    case "reverse.do" -> reverse(params);
                    case "refund.do" -> refund(params);
                    case "getOrderStatusExtended.do" -> status(params);
                    default -> null;
                };
            }
            Exchanges.pause(script.takeHang());
            if (answer == null) {
                Exchanges.respondJson(exchange, 404, "{\"error\":\"unknown method\"}");
            } else {
                Exchanges.respondJson(exchange, 200, JSON.writeValueAsString(answer));
            }
        } catch (RuntimeException e) {
            log.warn("simulator failure", e);
        }
    }

    private Map<String, Object> register(Map<String, String> p, boolean preAuth) {
        String number = p.get("orderNumber");
        Long amount = kopecks(p.get("amount"));
        if (number == null || number.isBlank() || number.length() > 32) {
            return error(4, "Номер заказа не может быть пуст");
        }
        if (amount == null || amount <= 0) {
            return error(4, "Сумма заказа не может быть пустой");
        }
        if (p.get("returnUrl") == null) {
            return error(4, "URL возврата не может быть пуст");
        }
        Order order = new Order(number, amount, preAuth, p.get("description"));
        if (byNumber.putIfAbsent(number, order.id) != null) {
            return error(1, "Заказ с таким номером уже обработан");
        }
        orders.put(order.id, order);
        if (script.payerConfirmsNow() || script.declinesPending()) {
            timers.schedule(() -> payerStep(order), PAYER_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
        return Map.of(
                "orderId",
                order.id,
                "formUrl",
                baseUrl()
                        .resolve("/payment/merchants/sandbox/payment_ru.html?mdOrder=" + order.id)
                        .toString());
    }

    private void payerStep(Order o) {
        String operation;
        synchronized (o) {
            if (o.status != CREATED) {
                return;
            }
            String declined = script.takeDecline();
            if (declined != null) {
                o.status = DECLINED;
                o.actionCode = 116;
                o.actionDescription = declined;
                return; // a declined payment sends no callback in the default notification settings
            }
            if (o.preAuth) {
                o.status = APPROVED;
                o.approved = o.amount;
                operation = "approved";
                Duration lifetime = script.holdLifetimeNow();
                timers.schedule(() -> expire(o), Math.max(1, lifetime.toMillis()), TimeUnit.MILLISECONDS);
            } else {
                o.status = DEPOSITED;
                o.approved = o.amount;
                o.deposited = o.amount;
                settled(o, Settled.Kind.PAYMENT, o.id, o.amount, commission.of(o.amount));
                operation = "deposited";
            }
        }
        callback(o, operation);
    }

    private void settled(Order o, Settled.Kind kind, String operationId, long amount, long fee) {
        settlements.add(new Settled(
                o.id,
                operationId,
                o.number,
                kind,
                amount,
                fee,
                clock.instant().truncatedTo(ChronoUnit.SECONDS),
                "427600**1234",
                o.description == null ? "" : o.description));
    }

    private void expire(Order o) {
        synchronized (o) {
            if (o.status != APPROVED) {
                return;
            }
            o.status = REVERSED;
        }
        callback(o, "reversed");
    }

    private Map<String, Object> deposit(Map<String, String> p) {
        Order o = orders.get(p.getOrDefault("orderId", ""));
        if (o == null) {
            return error(6, "Заказ не найден");
        }
        Long amount = kopecks(p.get("amount"));
        synchronized (o) {
            if (o.status != APPROVED) {
                return error(7, "Платёж должен быть в корректном состоянии");
            }
            long deposit = amount == null || amount == 0 ? o.approved : amount;
            if (deposit < 0 || deposit > o.approved) {
                return error(6, "Неверная сумма");
            }
            o.deposited = deposit;
            o.status = DEPOSITED;
            settled(o, Settled.Kind.PAYMENT, o.id, deposit, commission.of(deposit));
        }
        callback(o, "deposited");
        return error(0, "Успешно");
    }

    private Map<String, Object> reverse(Map<String, String> p) {
        Order o = orders.get(p.getOrDefault("orderId", ""));
        if (o == null) {
            return error(6, "Заказ не найден");
        }
        synchronized (o) {
            if (o.status != APPROVED) {
                return error(7, "Платёж должен быть в корректном состоянии");
            }
            o.status = REVERSED;
        }
        callback(o, "reversed");
        return error(0, "Успешно");
    }

    private Map<String, Object> refund(Map<String, String> p) {
        Order o = orders.get(p.getOrDefault("orderId", ""));
        if (o == null) {
            return error(6, "Заказ не найден");
        }
        Long amount = kopecks(p.get("amount"));
        synchronized (o) {
            if (o.status != DEPOSITED) {
                return error(7, "Платёж должен быть в корректном состоянии");
            }
            if (amount == null || amount <= 0 || amount > o.deposited - o.refunded) {
                return error(6, "Неверная сумма");
            }
            o.refunded += amount;
            settled(o, Settled.Kind.REFUND, UUID.randomUUID().toString(), amount, 0);
            if (o.refunded == o.deposited) {
                o.status = REFUNDED;
            }
        }
        callback(o, "refunded");
        return error(0, "Успешно");
    }

    private Map<String, Object> status(Map<String, String> p) {
        String id = p.containsKey("orderId") ? p.get("orderId") : byNumber.get(p.getOrDefault("orderNumber", ""));
        Order o = id == null ? null : orders.get(id);
        if (o == null) {
            return error(6, "Заказ не найден");
        }
        synchronized (o) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("errorCode", "0");
            s.put("errorMessage", "Успешно");
            s.put("orderNumber", o.number);
            s.put("orderStatus", o.status);
            s.put("actionCode", o.actionCode);
            s.put("actionCodeDescription", o.actionDescription);
            s.put("amount", o.amount);
            s.put("currency", "643");
            s.put("date", o.created.toEpochMilli());
            s.put("orderDescription", o.description == null ? "" : o.description);
            s.put("attributes", java.util.List.of(Map.of("name", "mdOrder", "value", o.id)));
            if (o.status != CREATED && o.status != DECLINED) {
                s.put(
                        "cardAuthInfo",
                        Map.of("maskedPan", "427600**1234", "expiration", "203012", "cardholderName", "CARD HOLDER"));
            }
            s.put(
                    "paymentAmountInfo",
                    Map.of(
                            "paymentState", state(o.status),
                            "approvedAmount", o.approved,
                            "depositedAmount", o.deposited,
                            "refundedAmount", o.refunded));
            return s;
        }
    }

    private static String state(int status) {
        return switch (status) {
            case APPROVED -> "APPROVED";
            case DEPOSITED -> "DEPOSITED";
            case REVERSED -> "REVERSED";
            case REFUNDED -> "REFUNDED";
            case DECLINED -> "DECLINED";
            default -> "CREATED";
        };
    }

    private void callback(Order o, String operation) {
        URI url = callbackUrl.get();
        if (url == null) {
            return;
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("mdOrder", o.id);
        params.put("orderNumber", o.number);
        params.put("operation", operation);
        params.put("status", "1");
        PrivateKey signingKey = callbackSigningKey;
        if (signingKey != null) {
            params.put("checksum", SberChecksum.signed(params, signingKey));
        } else if (callbackKey != null) {
            params.put("checksum", SberChecksum.of(params, callbackKey));
        }
        String query = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        notifier.get(URI.create(url + (url.getQuery() == null ? "?" : "&") + query));
    }

    // --- plumbing --------------------------------------------------------------------------------------------

    private static Map<String, Object> error(int code, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("errorCode", Integer.toString(code));
        e.put("errorMessage", message);
        return e;
    }

    private static Long kopecks(String value) {
        return value != null && value.matches("\\d{1,12}") ? Long.valueOf(value) : null;
    }

    private static Map<String, String> parse(String encoded) {
        Map<String, String> params = new LinkedHashMap<>();
        if (encoded == null || encoded.isBlank()) {
            return params;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(name, value);
        }
        return params;
    }

    @Override
    public void close() {
        server.stop(0);
        timers.shutdownNow();
        notifier.close();
    }
}

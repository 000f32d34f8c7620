package io.kopek.sandbox.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kopek.sandbox.Exchanges;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A merchant's webhook receiver: a real HTTP server on a free loopback port that takes {@code POST}s on a path of
 * its own ({@code /webhooks/<random>}, so that a late delivery meant for an earlier receiver which had the same port
 * is answered 404 and never taken for one of this receiver's), verifies their Standard Webhooks signature with code of its own (given the secrets {@code whsec_...} it trusts),
 * records every request, and answers as scripted: a status for the next N requests, a delay before each answer, the
 * port closed ({@link #goDown()}) and open again, answers held back until released (to kill a sender while a request
 * is in flight).
 */
public final class WebhookReceiver implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookReceiver.class);

    /**
     * One request as it arrived.
     *
     * @param signatureValid whether one of the {@code v1} signatures is the HMAC-SHA256 of {@code id.timestamp.body}
     *     under one of the receiver's secrets (at the time of the request)
     * @param status what the receiver answered (0 when it answered nothing: held and then closed)
     */
    public record Received(
            String id,
            String timestamp,
            String signature,
            byte[] body,
            boolean signatureValid,
            String userAgent,
            String contentType,
            Instant receivedAt,
            int status) {

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The {@code v1,...} signatures of the header. */
        public List<String> signatures() {
            return signature == null
                    ? List.of()
                    : Arrays.asList(signature.trim().split(" +"));
        }
    }

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicReference<HttpServer> server = new AtomicReference<>();
    private final List<String> secrets = new CopyOnWriteArrayList<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> byId = new ConcurrentHashMap<>();
    private final AtomicInteger scriptedLeft = new AtomicInteger();
    private final AtomicInteger scriptedStatus = new AtomicInteger(200);
    private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
    private final AtomicReference<CountDownLatch> hold = new AtomicReference<>();
    private final String path = "/webhooks/" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicInteger strays = new AtomicInteger();
    private volatile int port;

    private WebhookReceiver(List<String> secrets) {
        this.secrets.addAll(secrets);
    }

    /** Starts on a free port of 127.0.0.1, trusting these secrets. */
    public static WebhookReceiver start(String... secrets) throws IOException {
        return start(0, List.of(secrets));
    }

    /** Starts on {@code port} of 127.0.0.1 (0: a free one), trusting these secrets. */
    public static WebhookReceiver start(int port, List<String> secrets) throws IOException {
        WebhookReceiver receiver = new WebhookReceiver(secrets);
        receiver.listen(port);
        log.info("webhook receiver listening on {}", receiver.url());
        return receiver;
    }

    private void listen(int on) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), on), 512);
        http.createContext("/", this::handle);
        http.setExecutor(executor);
        http.start();
        server.set(http);
        port = http.getAddress().getPort();
    }

    /** Where to send: {@code http://127.0.0.1:<port>/webhooks/<random>}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The same receiver by the name {@code localhost} (which resolves to loopback). */
    public URI localhostUrl() {
        return URI.create("http://localhost:" + port + path);
    }

    public int port() {
        return port;
    }

    // ---- scripting

    /** The secrets signatures are verified with from now on (after a rotation: the new one, or both). */
    public WebhookReceiver trust(String... trusted) {
        secrets.clear();
        secrets.addAll(List.of(trusted));
        return this;
    }

    /** The next {@code count} requests are answered with {@code status} (a 500, a 410); then 200 again. */
    public WebhookReceiver answerNext(int count, int status) {
        scriptedStatus.set(status);
        scriptedLeft.set(count);
        return this;
    }

    /** Every answer waits this long first (a receiver doing its work). */
    public WebhookReceiver delay(Duration delay) {
        this.delay.set(delay);
        return this;
    }

    /** Requests are recorded but not answered until {@link #release()}: a sender can be killed meanwhile. */
    public WebhookReceiver holdAnswers() {
        hold.set(new CountDownLatch(1));
        return this;
    }

    /** Answers the held requests and stops holding. */
    public WebhookReceiver release() {
        CountDownLatch latch = hold.getAndSet(null);
        if (latch != null) {
            latch.countDown();
        }
        return this;
    }

    /** The receiver is down: the port is closed and connections are refused until {@link #comeBack()}. */
    public synchronized void goDown() {
        HttpServer http = server.getAndSet(null);
        if (http != null) {
            http.stop(0);
        }
    }

    /** Listens again on the same port after {@link #goDown()}. */
    public synchronized void comeBack() throws IOException {
        if (server.get() == null) {
            listen(port);
        }
    }

    // ---- what arrived

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** How many requests carried this {@code webhook-id}. */
    public int timesReceived(String id) {
        AtomicInteger n = byId.get(id);
        return n == null ? 0 : n.get();
    }

    /** How many different {@code webhook-id}s arrived. */
    public int distinctIds() {
        return byId.size();
    }

    public int requests() {
        return received.size();
    }

    /** How many requests came for another path (another receiver's, which had this port before): answered 404. */
    public int strays() {
        return strays.get();
    }

    /** Forgets what arrived (the script stays). */
    public void clear() {
        received.clear();
        byId.clear();
    }

    /**
     * Verifies a Standard Webhooks signature header independently of any sender: {@code v1,<base64 HMAC-SHA256 of
     * "id.timestamp.body">} under the secret's bytes (base64 after {@code whsec_}), one of the space-separated
     * signatures matching, compared in constant time.
     */
    public static boolean verify(String secret, String id, String timestamp, byte[] body, String signatureHeader) {
        if (secret == null || id == null || timestamp == null || signatureHeader == null) {
            return false;
        }
        byte[] expected;
        try {
            byte[] key = Base64.getDecoder().decode(secret.startsWith("whsec_") ? secret.substring(6) : secret);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            expected = mac.doFinal(body);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
        for (String part : signatureHeader.trim().split(" +")) {
            int comma = part.indexOf(',');
            if (comma < 0 || !part.substring(0, comma).equals("v1")) {
                continue;
            }
            try {
                if (MessageDigest.isEqual(expected, Base64.getDecoder().decode(part.substring(comma + 1)))) {
                    return true;
                }
            } catch (IllegalArgumentException notBase64) {
                // another signature may still match
            }
        }
        return false;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(path)) {
                strays.incrementAndGet();
                log.warn(
                        "webhook receiver {}: a request for {} is not for this receiver",
                        url(),
                        exchange.getRequestURI());
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            var headers = exchange.getRequestHeaders();
            String id = headers.getFirst("webhook-id");
            String timestamp = headers.getFirst("webhook-timestamp");
            String signature = headers.getFirst("webhook-signature");
            boolean valid = secrets.stream().anyMatch(s -> verify(s, id, timestamp, body, signature));
            int status = scriptedLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0 ? scriptedStatus.get() : 200;
            CountDownLatch held = hold.get();
            Received request = new Received(
                    id,
                    timestamp,
                    signature,
                    body,
                    valid,
                    headers.getFirst("User-Agent"),
                    headers.getFirst("Content-Type"),
                    Instant.now(),
                    held == null ? status : 0);
            received.add(request);
            if (id != null) {
                byId.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            }
            if (held != null) {
                try {
                    held.await(10, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            Exchanges.pause(delay.get());
            Exchanges.respondJson(exchange, status, status / 100 == 2 ? "{\"ok\":true}" : "{\"ok\":false}");
        }
    }

    @Override
    public void close() {
        release();
        goDown();
        executor.shutdownNow();
    }

    /** For tests that print what arrived. */
    @Override
    public String toString() {
        List<String> ids = new ArrayList<>();
        for (Received r : received) {
            ids.add(r.id() + "(" + r.status() + (r.signatureValid() ? "" : ", bad signature") + ")");
        }
        return "WebhookReceiver" + ids + (strays.get() > 0 ? " and " + strays.get() + " strays" : "");
    }
}

package io.kopek.bench;

import io.kopek.outbox.DomainEvent;
import io.kopek.outbox.EventType;
import io.kopek.outbox.Outbox;
import io.kopek.sandbox.LoopbackPorts;
import io.kopek.sandbox.webhook.WebhookReceiver;
import io.kopek.testing.ScratchDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Webhook events delivered per second: N events published to the outbox (each about an object of its own, so no
 * ordering key holds another back), fanned out by the notifications consumer to one endpoint registered through the
 * API, and delivered by the pump to the sandbox receiver answering after 20 ms, which verifies every signature. per_s
 * is events delivered per second from the first publish to the last delivery; p99_ms the delivery latency (event
 * written to delivered).
 */
class WebhooksBenchmark implements Benchmark {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @ComponentScan(
            basePackages = "io.kopek",
            excludeFilters =
                    @ComponentScan.Filter(
                            type = FilterType.REGEX,
                            pattern = {"io\\.kopek\\.(bench|testing)\\..*", "io\\.kopek\\.\\w+TestApplication"}))
    static class Platform {}

    /** The benchmark's own event: of no merchant, heard by an endpoint of the installation. */
    @EventType(name = "bench_ping.sent", aggregate = "bench_ping", aggregateId = "pingId")
    public record BenchPing(long pingId, String note) implements DomainEvent {}

    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static final Pattern SECRET = Pattern.compile("\"secret\":\"([^\"]+)\"");

    @Override
    public String description() {
        return "webhook events/s from the outbox to the sandbox receiver answering after 20 ms, and p99 latency"
                + " (--events=10000 --latency-ms=20 --concurrency=64)";
    }

    @Override
    public Result run(Options options) throws Exception {
        int events = options.intValue("events", 10_000);
        int latencyMs = options.intValue("latency-ms", 20);
        int concurrency = options.intValue("concurrency", 64);
        if (events < 1 || latencyMs < 0 || concurrency < 1) {
            throw new IllegalArgumentException("--events and --concurrency must be positive");
        }
        String adminKey = "kpk_0123456789ab_" + UUID.randomUUID().toString().replace("-", "") + "abcdefghijk";
        int port = LoopbackPorts.free();
        try (ScratchDatabase db = ScratchDatabase.create("kopek_bench");
                WebhookReceiver receiver = WebhookReceiver.start();
                ConfigurableApplicationContext context = new SpringApplicationBuilder(Platform.class)
                        .web(WebApplicationType.SERVLET)
                        .logStartupInfo(false)
                        .properties(properties(db.url(), port, adminKey, concurrency))
                        // On the command line: above a test JVM's own spring.datasource.url (a system property), so
                        // that a
                        // benchmark run by BenchmarksTest measures its own database, not the test's.
                        .run("--spring.datasource.url=" + db.url())) {
            receiver.delay(Duration.ofMillis(latencyMs));
            String created = post(port, adminKey, "/api/v1/webhook-endpoints", "{\"url\":\"" + receiver.url() + "\"}");
            receiver.trust(match(SECRET, created));
            long endpoint = Long.parseLong(match(ID, created));
            Outbox outbox = context.getBean(Outbox.class);
            TransactionTemplate transactions = context.getBean(TransactionTemplate.class);
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            System.out.printf(
                    "webhooks: %d events, receiver latency %d ms, %d requests in flight%n",
                    events, latencyMs, concurrency);

            long start = System.nanoTime();
            java.time.Instant startedAt = java.time.Instant.now();
            for (int from = 0; from < events; from += 500) {
                int first = from;
                int last = Math.min(events, from + 500);
                transactions.executeWithoutResult(s -> {
                    for (int i = first; i < last; i++) {
                        outbox.publish(new BenchPing(i, "bench"));
                    }
                });
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (delivered(jdbc, endpoint) < events) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "only " + delivered(jdbc, endpoint) + " of " + events + " delivered within 10 minutes");
                }
                Thread.sleep(20);
            }
            double seconds = jdbc.sql("select extract(epoch from max(delivered_at) - ?::timestamptz)"
                            + " from webhook_message where endpoint_id = ?")
                    .params(java.sql.Timestamp.from(startedAt), endpoint)
                    .query(Double.class)
                    .single();
            double wall = (System.nanoTime() - start) / 1e9;
            long p99 = jdbc.sql("select round(percentile_cont(0.99) within group (order by"
                            + " extract(epoch from delivered_at - occurred_at) * 1000))::bigint"
                            + " from webhook_message where endpoint_id = ?")
                    .param(endpoint)
                    .query(Long.class)
                    .single();
            if (receiver.distinctIds() != events) {
                throw new IllegalStateException(
                        "the receiver saw " + receiver.distinctIds() + " ids for " + events + " events");
            }
            if (receiver.received().stream().anyMatch(r -> !r.signatureValid())) {
                throw new IllegalStateException("a signature did not verify");
            }
            System.out.printf(
                    "delivered %d events in %.2f s (%.2f s to notice), %d requests, p99 %d ms%n",
                    events, seconds, wall, receiver.requests(), p99);
            return new Result()
                    .put("events", (long) events)
                    .put("per_s", Math.round(events / seconds))
                    .put("p99_ms", p99);
        }
    }

    private static long delivered(JdbcClient jdbc, long endpoint) {
        return jdbc.sql("select count(*) from webhook_message where endpoint_id = ? and state = 'delivered'")
                .param(endpoint)
                .query(Long.class)
                .single();
    }

    private static Map<String, Object> properties(String dbUrl, int port, String adminKey, int concurrency) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Map<String, Object> p = new HashMap<>();
        p.put("spring.main.banner-mode", "off");
        p.put("logging.level.root", "warn");
        p.put("spring.datasource.url", dbUrl);
        p.put("server.port", Integer.toString(port));
        p.put("kopek.roles", "api,batch");
        p.put("kopek.business-zone", "Europe/Moscow");
        p.put("kopek.reports.directory", System.getProperty("java.io.tmpdir") + "/kopek-bench-reports");
        p.put("kopek.security.bootstrap-admin-key", adminKey);
        p.put("kopek.notifications.settle", "0s");
        p.put("kopek.notifications.idle", "50ms");
        p.put("kopek.notifications.webhooks.secret-key", Base64.getEncoder().encodeToString(key));
        p.put("kopek.notifications.webhooks.allow-http", "true");
        p.put("kopek.notifications.webhooks.allowed-networks", "127.0.0.0/8");
        p.put("kopek.notifications.webhooks.concurrency", Integer.toString(concurrency));
        return p;
    }

    private static String post(int port, String key, String path, String json) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .header("Authorization", "Bearer " + key)
                            .header("Content-Type", "application/json")
                            .header("Idempotency-Key", UUID.randomUUID().toString())
                            .POST(HttpRequest.BodyPublishers.ofString(json))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("POST " + path + ": " + response.statusCode() + " " + response.body());
            }
            return response.body();
        }
    }

    private static String match(Pattern pattern, String json) {
        Matcher m = pattern.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException(pattern + " not in " + json);
        }
        return m.group(1);
    }
}

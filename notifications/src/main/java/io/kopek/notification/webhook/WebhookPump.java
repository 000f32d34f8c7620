package io.kopek.notification.webhook;

import io.kopek.notification.NotificationPump;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers webhook messages. A pass claims due messages ({@code for update skip locked}, with a lease) as many as
 * there are free places among {@code concurrency} requests in flight, and sends each on a virtual thread; each
 * outcome is recorded in a transaction of its own with the attempt in the delivery log. Ordering: a message is not
 * claimed while an earlier message of its endpoint and ordering key is pending, failing or in flight (a dead one does
 * not hold the others back). A process killed between sending and recording leaves its messages leased: once the
 * lease ends another pass sends them again, with the same {@code webhook-id} and the same body.
 */
@Component
class WebhookPump implements NotificationPump, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(WebhookPump.class);
    static final String USER_AGENT = "Kopek-Webhooks/1.0 (+https://github.com/kopek; Standard Webhooks)";
    private static final int RESPONSE_HEAD = 1024;
    private static final int DRAIN_LIMIT = 64 * 1024;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final WebhookProperties properties;
    private final Destinations destinations;
    private final WebhookEndpoints endpoints;
    private final HttpClient http;
    private final Semaphore places;
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final java.util.Queue<Delivered> delivered = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Map<String, Counter> attempts = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final Timer latency;
    private final AtomicLong pendingSeenAt = new AtomicLong();
    private volatile long pending;

    /** A claimed message, with what sending it needs. */
    record Claimed(long id, long endpointId, UUID eventId, byte[] body, int attempts, Instant occurredAt, String url) {}

    /** What one attempt came to: an answer's status and head, or an error without an answer. */
    record Outcome(Integer status, String error, String response, long latencyMs) {

        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }

        String summary() {
            return status != null ? "HTTP " + status : error;
        }
    }

    WebhookPump(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            Clock clock,
            WebhookProperties properties,
            Destinations destinations,
            WebhookEndpoints endpoints,
            ObjectProvider<MeterRegistry> meterRegistry) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.properties = properties;
        this.destinations = destinations;
        this.endpoints = endpoints;
        this.meters = meterRegistry.getIfAvailable(SimpleMeterRegistry::new);
        this.places = new Semaphore(properties.concurrency());
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER) // a 3xx is a failed attempt, never followed
                .build();
        this.latency = Timer.builder("kopek.webhooks.latency")
                .description("time of one webhook request, answered or not")
                .register(this.meters);
        Gauge.builder("kopek.webhooks.pending", this, WebhookPump::pendingMessages)
                .description("webhook messages waiting to be delivered (pending or failing)")
                .register(this.meters);
    }

    @Override
    public String name() {
        return "webhooks";
    }

    @Override
    public int pump() {
        int recorded = recordDelivered();
        int free;
        try {
            if (!places.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                return recorded + 1; // every place is taken: record what came back, and look again
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return recorded;
        }
        free = 1 + places.drainPermits();
        List<Claimed> claimed;
        try {
            claimed = claim(Math.min(free, properties.claimSize()));
        } catch (RuntimeException e) {
            places.release(free);
            throw e;
        }
        places.release(free - claimed.size());
        if (claimed.isEmpty()) {
            return recorded;
        }
        Map<Long, List<String>> secrets = new HashMap<>();
        Instant now = clock.instant();
        for (Claimed message : claimed) {
            List<String> signing;
            try {
                signing = secrets.computeIfAbsent(message.endpointId(), id -> endpoints.signingSecrets(id, now));
            } catch (RuntimeException e) {
                log.error("webhooks: cannot read the secrets of endpoint {}", message.endpointId(), e);
                signing = List.of();
            }
            List<String> forMessage = signing;
            senders.submit(() -> {
                try {
                    deliver(message, forMessage);
                } catch (RuntimeException e) {
                    // the lease ends and the message is sent again
                    log.error("webhooks: message {} could not be recorded", message.id(), e);
                } finally {
                    places.release();
                }
            });
        }
        return recorded + claimed.size();
    }

    /**
     * Claims up to {@code limit} due messages, each the head of its queue (endpoint and ordering key). In two steps, so
     * that no plan can make a claim quadratic: the heads come from one scan of the queue's partial index
     * ({@code distinct on}); then those ids are locked (skip locked) and leased by primary key. One statement with an
     * anti-join for "no earlier message of the same queue" was as fast while the table's statistics were right, but on
     * a table not yet analyzed the planner nested a sequential scan in it: 3 s per claim of 64 with 10,000 messages
     * queued, and ten minutes for a burst the pump otherwise sends in seventeen seconds.
     */
    private List<Claimed> claim(int limit) {
        Instant now = clock.instant();
        Instant leaseEnd = now.plus(properties.lease());
        return transactions.execute(status -> {
            Long[] heads = jdbc.sql("select message_id from (select distinct on (endpoint_id, ordering_key)"
                            + " message_id, next_attempt_at, leased_until from webhook_message"
                            + " where state in ('pending', 'failing') order by endpoint_id, ordering_key, message_id) h"
                            + " where next_attempt_at <= ? and (leased_until is null or leased_until <= ?)"
                            + " order by next_attempt_at, message_id limit ?")
                    .params(Timestamp.from(now), Timestamp.from(now), limit * 2) // some may be locked by another
                    .query(Long.class)
                    .list()
                    .toArray(Long[]::new);
            if (heads.length == 0) {
                return List.<Claimed>of();
            }
            return jdbc.sql("with due as (select m.message_id from webhook_message m"
                            + " join webhook_endpoint e on e.endpoint_id = m.endpoint_id and e.enabled"
                            + " where m.message_id = any(?) and m.state in ('pending', 'failing')"
                            + " and (m.leased_until is null or m.leased_until <= ?)"
                            + " order by m.next_attempt_at, m.message_id limit ? for update of m skip locked)"
                            + " update webhook_message m set leased_until = ? from due, webhook_endpoint e"
                            + " where m.message_id = due.message_id and e.endpoint_id = m.endpoint_id"
                            + " returning m.message_id, m.endpoint_id, m.event_id, m.body, m.attempts, m.occurred_at,"
                            + " e.url")
                    .params(heads, Timestamp.from(now), limit, Timestamp.from(leaseEnd))
                    .query((rs, n) -> new Claimed(
                            rs.getLong("message_id"),
                            rs.getLong("endpoint_id"),
                            rs.getObject("event_id", UUID.class),
                            rs.getBytes("body"),
                            rs.getInt("attempts"),
                            rs.getTimestamp("occurred_at").toInstant(),
                            rs.getString("url")))
                    .list();
        });
    }

    private void deliver(Claimed message, List<String> secrets) {
        Instant at = clock.instant();
        Outcome outcome = send(message, secrets, at);
        latency.record(Duration.ofMillis(outcome.latencyMs()));
        if (outcome.delivered()) {
            // Recorded with the others of the pass in one transaction (a transaction per message halved the rate).
            // Until then the message stays leased: a crash meanwhile sends it again, as after any crash.
            delivered.add(new Delivered(message, outcome, at, clock.instant()));
        } else {
            transactions.executeWithoutResult(status -> record(message, outcome, at));
        }
    }

    /** A delivered attempt waiting to be recorded. */
    private record Delivered(Claimed message, Outcome outcome, Instant at, Instant deliveredAt) {}

    /** Records the deliveries that came back since the last pass, in one transaction. */
    int recordDelivered() {
        List<Delivered> batch = new java.util.ArrayList<>();
        for (Delivered d; (d = delivered.poll()) != null; ) {
            batch.add(d);
        }
        if (batch.isEmpty()) {
            return 0;
        }
        int n = batch.size();
        Long[] ids = new Long[n];
        String[] ats = new String[n];
        String[] deliveredAts = new String[n];
        Integer[] statuses = new Integer[n];
        Integer[] latencies = new Integer[n];
        String[] responses = new String[n];
        for (int i = 0; i < n; i++) {
            Delivered d = batch.get(i);
            ids[i] = d.message().id();
            ats[i] = d.at().toString();
            deliveredAts[i] = d.deliveredAt().toString();
            statuses[i] = d.outcome().status();
            latencies[i] = (int) Math.min(Integer.MAX_VALUE, d.outcome().latencyMs());
            responses[i] = d.outcome().response();
        }
        Long[] endpointIds =
                batch.stream().map(d -> d.message().endpointId()).distinct().toArray(Long[]::new);
        try {
            transactions.executeWithoutResult(status -> {
                jdbc.sql("insert into webhook_attempt (message_id, attempted_at, status_code, latency_ms, response)"
                                + " select * from unnest(?::bigint[], ?::text[]::timestamptz[], ?::int[], ?::int[],"
                                + " ?::text[])")
                        .params(ids, ats, statuses, latencies, responses)
                        .update();
                jdbc.sql("update webhook_message m set state = 'delivered', attempts = m.attempts + 1,"
                                + " delivered_at = d.at, leased_until = null, last_error = null"
                                + " from unnest(?::bigint[], ?::text[]::timestamptz[]) d (id, at)"
                                + " where m.message_id = d.id")
                        .params(ids, deliveredAts)
                        .update();
                jdbc.sql("update webhook_endpoint set failing_since = null where endpoint_id = any(?)"
                                + " and failing_since is not null")
                        .param(endpointIds)
                        .update();
            });
        } catch (RuntimeException e) {
            log.error("webhooks: {} deliveries could not be recorded; they are sent again after their lease", n, e);
            return 0;
        }
        count("delivered", n);
        return n;
    }

    Outcome send(Claimed message, List<String> secrets, Instant at) {
        long start = System.nanoTime();
        try {
            URI uri = destinations.parse(message.url());
            destinations.check(uri); // at send time: what the host resolves to now
            if (secrets.isEmpty()) {
                return new Outcome(null, "the endpoint has no secret to sign with", null, 0);
            }
            long timestamp = at.getEpochSecond();
            String id = message.eventId().toString();
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(properties.requestTimeout())
                    .header("webhook-id", id)
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", Secrets.signature(secrets, id, timestamp, message.body()))
                    .header("Content-Type", "application/json")
                    .header("User-Agent", USER_AGENT)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()))
                    .build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String head;
            try (InputStream body = response.body()) {
                head = utf8(body.readNBytes(RESPONSE_HEAD));
                drain(body);
            }
            return new Outcome(response.statusCode(), null, head, millisSince(start));
        } catch (Destinations.RefusedException e) {
            return new Outcome(null, e.getMessage(), null, millisSince(start));
        } catch (HttpConnectTimeoutException e) {
            return new Outcome(null, "no connection within " + properties.connectTimeout(), null, millisSince(start));
        } catch (HttpTimeoutException e) {
            return new Outcome(
                    null,
                    "no answer within " + properties.requestTimeout().toSeconds() + " s",
                    null,
                    millisSince(start));
        } catch (ConnectException e) {
            return new Outcome(null, "connection refused or unreachable", null, millisSince(start));
        } catch (IOException e) {
            return new Outcome(null, "I/O error: " + e, null, millisSince(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, "interrupted while sending", null, millisSince(start));
        }
    }

    /** Reads a little more of a long answer so that the connection can be kept; a longer one closes it. */
    private static void drain(InputStream body) throws IOException {
        body.readNBytes(DRAIN_LIMIT);
    }

    private void record(Claimed message, Outcome outcome, Instant at) {
        jdbc.sql("insert into webhook_attempt (message_id, attempted_at, status_code, error, latency_ms, response)"
                        + " values (?, ?, ?, ?, ?, ?)")
                .params(
                        message.id(),
                        Timestamp.from(at),
                        outcome.status(),
                        outcome.error(),
                        (int) Math.min(Integer.MAX_VALUE, outcome.latencyMs()),
                        outcome.response())
                .update();
        Instant now = clock.instant();
        int attempt = message.attempts() + 1;
        List<Duration> schedule = properties.retrySchedule();
        boolean dead = attempt > schedule.size();
        Instant next = dead ? now : now.plus(jitter(schedule.get(attempt - 1)));
        jdbc.sql("update webhook_message set state = ?, attempts = ?, next_attempt_at = ?, leased_until = null,"
                        + " last_error = ? where message_id = ?")
                .params(dead ? "dead" : "failing", attempt, Timestamp.from(next), outcome.summary(), message.id())
                .update();
        count(outcome.status() != null ? "failed" : "error");
        if (dead) {
            count("dead");
            log.warn(
                    "webhooks: message {} (event {}) to endpoint {} is dead after {} attempts: {}",
                    message.id(),
                    message.eventId(),
                    message.endpointId(),
                    attempt,
                    outcome.summary());
        }
        if (Integer.valueOf(410).equals(outcome.status())) {
            endpoints.disable(message.endpointId(), "the endpoint answered 410 Gone");
            return;
        }
        Instant failingSince = jdbc.sql("update webhook_endpoint set failing_since = coalesce(failing_since, ?)"
                        + " where endpoint_id = ? returning failing_since")
                .params(Timestamp.from(at), message.endpointId())
                .query(Timestamp.class)
                .optional()
                .map(Timestamp::toInstant)
                .orElse(null);
        if (failingSince != null
                && !failingSince.plus(properties.disableAfter()).isAfter(now)) {
            endpoints.disable(
                    message.endpointId(),
                    "its deliveries have failed without one success since "
                            + failingSince.truncatedTo(ChronoUnit.SECONDS) + " ("
                            + properties.disableAfter().toDays() + " days); last: " + outcome.summary());
        }
    }

    /** Full jitter around the schedule's wait: uniform in (0, 2 × wait], so its expected value is the wait itself. */
    static Duration jitter(Duration wait) {
        long max = Math.max(1, wait.toMillis() * 2);
        return Duration.ofMillis(1 + ThreadLocalRandom.current().nextLong(max));
    }

    private void count(String outcome) {
        count(outcome, 1);
    }

    private void count(String outcome, int n) {
        attempts.computeIfAbsent(
                        outcome,
                        o -> Counter.builder("kopek.webhooks.attempts")
                                .description(
                                        "webhook attempts by outcome (delivered, failed: an answer not 2xx, error: no"
                                                + " answer or refused; dead: given up)")
                                .tag("outcome", o)
                                .register(meters))
                .increment(n);
    }

    /** Read at most every five seconds, so that a scrape does not query the database each time. */
    private double pendingMessages() {
        long now = System.nanoTime();
        long seen = pendingSeenAt.get();
        if (now - seen > TimeUnit.SECONDS.toNanos(5) && pendingSeenAt.compareAndSet(seen, now)) {
            try {
                pending = jdbc.sql("select count(*) from webhook_message where state in ('pending', 'failing')")
                        .query(Long.class)
                        .single();
            } catch (RuntimeException e) {
                log.debug("webhooks: cannot count pending messages", e);
            }
        }
        return pending;
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString()
                    .replace("\u0000", "");
        } catch (java.nio.charset.CharacterCodingException e) {
            return "";
        }
    }

    /** Lets the requests in flight end and record their outcome (or leaves them to their lease). */
    @Override
    public void destroy() throws InterruptedException {
        senders.shutdown();
        if (!senders.awaitTermination(properties.requestTimeout().toSeconds() + 5, TimeUnit.SECONDS)) {
            senders.shutdownNow();
        }
        recordDelivered();
        http.close();
    }
}

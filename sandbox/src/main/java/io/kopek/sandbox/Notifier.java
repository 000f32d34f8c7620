package io.kopek.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends a simulator's callbacks the way providers do: asynchronously, as many copies and as late as the
 * {@link Script} says, and again with growing pauses until the receiver answers 200.
 */
public final class Notifier implements AutoCloseable {

    private static final int ATTEMPTS = 6;

    private final ScheduledExecutorService timers;
    private final Script script;
    private final AtomicInteger delivered = new AtomicInteger();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    public Notifier(ScheduledExecutorService timers, Script script) {
        this.timers = timers;
        this.script = script;
    }

    /** POSTs a JSON body. */
    public void postJson(URI url, String body) {
        postJson(url, body, java.util.Map.of());
    }

    /** POSTs a JSON body with extra headers (a signature). */
    public void postJson(URI url, String body, java.util.Map<String, String> headers) {
        send(() -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(url)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(request::header);
            return request;
        });
    }

    /** GETs the URL (callbacks carried in the query string). */
    public void get(URI url) {
        send(() -> HttpRequest.newBuilder(url).GET());
    }

    /** How many callbacks the receiver acknowledged with 200. */
    public int delivered() {
        return delivered.get();
    }

    private void send(java.util.function.Supplier<HttpRequest.Builder> request) {
        long delay = script.notificationDelayNow().toMillis();
        for (int i = 0; i < script.notificationCopiesNow(); i++) {
            timers.schedule(() -> deliver(request, 0), delay, TimeUnit.MILLISECONDS);
        }
    }

    private void deliver(java.util.function.Supplier<HttpRequest.Builder> request, int attempt) {
        try {
            HttpResponse<Void> response = http.send(
                    request.get().timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() == 200) {
                delivered.incrementAndGet();
                return;
            }
        } catch (IOException e) {
            // the receiver is down; try again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (attempt + 1 < ATTEMPTS) {
            timers.schedule(() -> deliver(request, attempt + 1), 200L << attempt, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}

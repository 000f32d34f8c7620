package io.kopek.demo;

import io.kopek.sandbox.search.SearchEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The demo's search engine: a real Elasticsearch node ({@link SearchEngine}) started by {@link DemoSandboxSettings}
 * before the application's context, on a thread of its own so that the context starts meanwhile (the node takes 10 to
 * 25 s; the indexer waits for it and catches up), and stopped with the application. Once the application is ready it
 * says where to see the demo's payments in the index, or that the index is off and why.
 */
@Component
@Profile("demo")
class DemoSearch implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DemoSearch.class);
    private static final Duration START_WAIT = Duration.ofSeconds(120);

    /** The node being started, or null with the reason it is not. */
    private static volatile CompletableFuture<SearchEngine> node;

    private static volatile String off = "the search index is not configured";
    private static volatile int port;
    private volatile boolean running;

    /** Starts the node on the port given, in the background. */
    static synchronized void start(Path distribution, int loopbackPort) {
        port = loopbackPort;
        node = CompletableFuture.supplyAsync(
                () -> SearchEngine.start(distribution, "512m", loopbackPort),
                runnable ->
                        Thread.ofPlatform().daemon().name("demo-search-engine").start(runnable));
        // a JVM ending without the context's stop (a kill) still takes the node with it
        Runtime.getRuntime().addShutdownHook(new Thread(DemoSearch::stopNode, "demo-search-engine-stop"));
    }

    /** Why the demo runs without the index. */
    static void off(String reason) {
        off = reason;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void announce() {
        CompletableFuture<SearchEngine> starting = node;
        if (starting == null) {
            log.info("demo: search index: off ({})", off);
            return;
        }
        Thread.ofVirtual().name("demo-search-announce").start(() -> {
            try {
                starting.get(START_WAIT.toSeconds(), TimeUnit.SECONDS);
                log.info(
                        "demo: search index: curl 'http://127.0.0.1:{}/kopek-payments/_search?size=5&pretty'"
                                + " (Elasticsearch {}, indexed from the outbox)",
                        port,
                        SearchEngine.VERSION);
            } catch (Exception e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                log.warn(
                        "demo: search index: off (the search engine did not start: {}); the demo goes on without it",
                        cause.getMessage());
            }
        });
    }

    private static void stopNode() {
        CompletableFuture<SearchEngine> starting = node;
        if (starting != null) {
            starting.thenAccept(SearchEngine::close); // at once when it runs, else as soon as it answers
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /** After the indexer's loops (batch role) have stopped. */
    @Override
    public void stop() {
        running = false;
        stopNode();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 100;
    }
}

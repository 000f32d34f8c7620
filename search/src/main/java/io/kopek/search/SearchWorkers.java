package io.kopek.search;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The search loops of a batch process, on a virtual thread each: the indexer (which first applies the templates and
 * makes the aliases, again and again until the engine answers: an engine away at start-up stops nothing) and the
 * reindex runs. A loop runs again at once while it did something and sleeps {@code kopek.search.idle} otherwise; a
 * failing pass backs off, doubling up to {@code retry.max}, and tries again: the engine's absence delays the index,
 * never anything else.
 */
class SearchWorkers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SearchWorkers.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final SearchIndexer indexer;
    private final Reindex reindex;
    private final SearchIndex index;
    private final Duration idle;
    private final Duration maxBackoff;
    private final List<Thread> threads = new ArrayList<>();
    private final Object wakeUp = new Object();
    private volatile boolean running;
    private volatile boolean prepared;

    SearchWorkers(SearchIndexer indexer, Reindex reindex, SearchIndex index, SearchProperties properties) {
        this.indexer = indexer;
        this.reindex = reindex;
        this.index = index;
        this.idle = properties.idle();
        this.maxBackoff = properties.retry().max();
    }

    @Override
    public synchronized void start() {
        running = true;
        threads.add(loop("index", () -> {
            prepare();
            var pass = indexer.pass();
            return indexer.full(pass) ? pass.events() : 0;
        }));
        threads.add(loop("reindex", () -> {
            prepare();
            return reindex.runNext() ? 1 : 0;
        }));
    }

    private void prepare() {
        if (!prepared) {
            synchronized (this) {
                if (!prepared) {
                    index.prepare();
                    prepared = true;
                }
            }
        }
    }

    private Thread loop(String name, IntSupplier pass) {
        return Thread.ofVirtual().name("search-" + name).start(() -> {
            Duration backoff = idle;
            while (running) {
                try {
                    int done = pass.getAsInt();
                    backoff = idle;
                    if (done == 0) {
                        pause(idle);
                    }
                } catch (RuntimeException e) {
                    if (e instanceof SearchUnavailableException) {
                        log.warn("search {}: {}; trying again in {}", name, e.getMessage(), backoff);
                    } else {
                        log.error("search {}: a pass failed; trying again in {}", name, backoff, e);
                    }
                    pause(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
                }
            }
        });
    }

    /** Waits unless the workers stop meanwhile (no interrupt: one landing in a JDBC call would close its socket). */
    private void pause(Duration duration) {
        synchronized (wakeUp) {
            if (!running) {
                return;
            }
            try {
                wakeUp.wait(Math.max(1, duration.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    @Override
    public synchronized void stop() {
        synchronized (wakeUp) {
            running = false;
            wakeUp.notifyAll();
        }
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        for (Thread thread : threads) {
            try {
                thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        threads.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}

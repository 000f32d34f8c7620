package io.kopek.schedule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;

/**
 * Loops that run a pass of work again and again on a virtual thread each, for the consumers that must follow the
 * outbox closely (notifications, the search index) without a scheduler's firing per second: a pass that did something
 * runs again at once, one that found nothing sleeps {@code idle}, one that failed is logged and backs off, doubling up
 * to {@code maxBackoff}. Stopping lets each loop finish its pass (waiting at most five seconds in all) and never
 * interrupts one: an interrupt that lands in a JDBC call closes its connection's socket under the pool, and a pass
 * stuck on an unreachable database would otherwise hold the process's exit for the pool's connection timeout.
 */
public final class PassLoops {

    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final String prefix;
    private final Duration idle;
    private final Duration maxBackoff;
    private final Logger log;
    private final Predicate<RuntimeException> expected;
    private final List<Thread> threads = new ArrayList<>();
    private final Object wakeUp = new Object();
    private volatile boolean running;

    /**
     * @param prefix the threads' names and the logs' start ({@code notifications}: {@code notifications-outbox})
     * @param expected failures that are a state of the world, not a fault (the search engine away): logged as a
     *     warning without their stack
     */
    public PassLoops(
            String prefix, Duration idle, Duration maxBackoff, Logger log, Predicate<RuntimeException> expected) {
        this.prefix = prefix;
        this.idle = idle;
        this.maxBackoff = maxBackoff;
        this.log = log;
        this.expected = expected;
    }

    /** Starts a loop of {@code pass}, which answers how much it did (0: nothing to do now). */
    public synchronized void start(String name, IntSupplier pass) {
        running = true;
        threads.add(Thread.ofVirtual().name(prefix + "-" + name).start(() -> loop(name, pass)));
    }

    private void loop(String name, IntSupplier pass) {
        Duration backoff = idle;
        while (running) {
            try {
                int done = pass.getAsInt();
                backoff = idle;
                if (done == 0) {
                    pause(idle);
                }
            } catch (RuntimeException e) {
                if (expected.test(e)) {
                    log.warn("{} {}: {}; trying again in {}", prefix, name, e.getMessage(), backoff);
                } else {
                    log.error("{} {}: a pass failed; trying again in {}", prefix, name, backoff, e);
                }
                pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
    }

    /** Waits, unless the loops stop meanwhile. */
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

    /** Lets each loop finish its pass, so nothing is left claimed until its lease ends. */
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

    public boolean isRunning() {
        return running;
    }
}

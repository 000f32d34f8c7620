package io.kopek.notification;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The notification loops of a batch process: the outbox consumer, and each channel's {@link NotificationPump}, on a
 * virtual thread each. A loop runs its pass again at once while the pass did something and sleeps
 * {@code kopek.notifications.idle} otherwise, so a message is sent within about that long of its event, without a
 * scheduler's firing per second. Several batch processes run them at once safely (the consumer's position is a locked
 * row; pumps claim with skip locked). A pass that fails is logged and the loop backs off, doubling up to a minute.
 */
@Component
@ConditionalOnRole(Role.BATCH)
@ConditionalOnBooleanProperty(name = "kopek.notifications.enabled", matchIfMissing = true)
class NotificationWorkers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NotificationWorkers.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final NotificationConsumer consumer;
    private final List<NotificationPump> pumps;
    private final Duration idle;
    private final List<Thread> threads = new ArrayList<>();
    private final Object wakeUp = new Object();
    private volatile boolean running;

    NotificationWorkers(
            NotificationConsumer consumer, List<NotificationPump> pumps, NotificationProperties properties) {
        this.consumer = consumer;
        this.pumps = pumps;
        this.idle = properties.idle();
    }

    @Override
    public synchronized void start() {
        running = true;
        threads.add(loop("outbox", () -> {
            var pass = consumer.poll();
            return consumer.full(pass) ? pass.events() : 0;
        }));
        for (NotificationPump pump : pumps) {
            threads.add(loop(pump.name(), pump::pump));
        }
    }

    private Thread loop(String name, IntSupplier pass) {
        return Thread.ofVirtual().name("notifications-" + name).start(() -> {
            Duration backoff = idle;
            while (running) {
                try {
                    int done = pass.getAsInt();
                    backoff = idle;
                    if (done == 0) {
                        pause(idle);
                    }
                } catch (RuntimeException e) {
                    log.error("notifications {}: a pass failed; trying again in {}", name, backoff, e);
                    pause(backoff);
                    backoff =
                            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                }
            }
        });
    }

    /**
     * Waits, unless the workers stop meanwhile. Not {@code Thread.sleep} with an interrupt to stop: an interrupt that
     * lands in a pass's JDBC call would close its connection's socket under the pool.
     */
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
    @Override
    public synchronized void stop() {
        synchronized (wakeUp) {
            running = false;
            wakeUp.notifyAll();
        }
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        for (Thread thread : threads) {
            try {
                // Not longer: a pass stuck on an unreachable database would hold the process's exit for the pool's
                // connection timeout; what a loop had claimed is taken again when its lease ends.
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

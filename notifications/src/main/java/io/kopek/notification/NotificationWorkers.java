package io.kopek.notification;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.schedule.PassLoops;
import java.time.Duration;
import java.util.List;
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

    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    private final NotificationConsumer consumer;
    private final List<NotificationPump> pumps;
    private final PassLoops loops;

    NotificationWorkers(
            NotificationConsumer consumer, List<NotificationPump> pumps, NotificationProperties properties) {
        this.consumer = consumer;
        this.pumps = pumps;
        this.loops = new PassLoops(
                "notifications",
                properties.idle(),
                MAX_BACKOFF,
                LoggerFactory.getLogger(NotificationWorkers.class),
                e -> false);
    }

    @Override
    public synchronized void start() {
        loops.start("outbox", () -> {
            var pass = consumer.poll();
            return consumer.full(pass) ? pass.events() : 0;
        });
        for (NotificationPump pump : pumps) {
            loops.start(pump.name(), pump::pump);
        }
    }

    @Override
    public synchronized void stop() {
        loops.stop();
    }

    @Override
    public boolean isRunning() {
        return loops.isRunning();
    }
}

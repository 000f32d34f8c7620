package io.kopek.sandbox.yookassa;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a test asks the simulator to do wrong, or differently: answer slowly, fail, hang, decline, and deliver
 * notifications twice, late or in reverse order. Thread-safe; change it while the simulator runs.
 */
public final class YooKassaScript {

    final AtomicReference<Duration> latency = new AtomicReference<>(Duration.ZERO);
    final AtomicInteger failuresLeft = new AtomicInteger();
    final AtomicInteger timeoutsLeft = new AtomicInteger();
    final AtomicReference<Duration> timeout = new AtomicReference<>(Duration.ofSeconds(30));
    final AtomicReference<String> declineReason = new AtomicReference<>();
    final AtomicInteger declinesLeft = new AtomicInteger();
    final AtomicInteger notificationCopies = new AtomicInteger(1);
    final AtomicReference<Duration> notificationDelay = new AtomicReference<>(Duration.ZERO);
    final AtomicReference<Boolean> payerConfirms = new AtomicReference<>(true);
    final AtomicReference<Duration> holdLifetime = new AtomicReference<>(Duration.ofDays(7));

    /** Every API answer waits this long first. */
    public YooKassaScript latency(Duration latency) {
        this.latency.set(latency);
        return this;
    }

    /** The next {@code count} API calls answer 500 {@code internal_server_error} without acting. */
    public YooKassaScript failNext(int count) {
        failuresLeft.set(count);
        return this;
    }

    /**
     * The next {@code count} API calls act, then hang for {@code hang} before answering: the client times out
     * and does not know whether the operation happened.
     */
    public YooKassaScript actThenHangNext(int count, Duration hang) {
        timeout.set(hang);
        timeoutsLeft.set(count);
        return this;
    }

    /** The next {@code count} payments are declined by the card network with this reason, e.g. {@code insufficient_funds}. */
    public YooKassaScript declineNext(int count, String reason) {
        declineReason.set(reason);
        declinesLeft.set(count);
        return this;
    }

    /** Every notification is delivered this many times, concurrently. */
    public YooKassaScript notificationCopies(int copies) {
        notificationCopies.set(copies);
        return this;
    }

    /** Notifications leave this much later than the change they announce (so they arrive after the API answer). */
    public YooKassaScript notificationDelay(Duration delay) {
        notificationDelay.set(delay);
        return this;
    }

    /** Whether the simulated payer completes 3-D Secure at once; when not, the test confirms with the simulator. */
    public YooKassaScript payerConfirms(boolean confirms) {
        payerConfirms.set(confirms);
        return this;
    }

    /** How long an authorisation lives before the simulator cancels it, as YooKassa does after 7 days for cards. */
    public YooKassaScript holdLifetime(Duration lifetime) {
        holdLifetime.set(lifetime);
        return this;
    }

    /** Back to a well-behaved provider. */
    public void reset() {
        latency.set(Duration.ZERO);
        failuresLeft.set(0);
        timeoutsLeft.set(0);
        declinesLeft.set(0);
        notificationCopies.set(1);
        notificationDelay.set(Duration.ZERO);
        payerConfirms.set(true);
        holdLifetime.set(Duration.ofDays(7));
    }

    static boolean take(AtomicInteger counter) {
        return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }
}

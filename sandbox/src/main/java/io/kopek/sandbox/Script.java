package io.kopek.sandbox;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a test asks a provider simulator to do wrong, or differently: answer slowly, fail, hang, decline, and
 * deliver notifications several times or late. Thread-safe; change it while the simulator runs. The same knobs
 * work for every simulator.
 */
public final class Script {

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
    public Script latency(Duration latency) {
        this.latency.set(latency);
        return this;
    }

    /** The next {@code count} API calls answer HTTP 500 without acting. */
    public Script failNext(int count) {
        failuresLeft.set(count);
        return this;
    }

    /**
     * The next {@code count} API calls act, then hang for {@code hang} before answering: the client times out
     * and does not know whether the operation happened.
     */
    public Script actThenHangNext(int count, Duration hang) {
        timeout.set(hang);
        timeoutsLeft.set(count);
        return this;
    }

    /** The next {@code count} payments are declined by the card network with this reason, e.g. {@code insufficient_funds}. */
    public Script declineNext(int count, String reason) {
        declineReason.set(reason);
        declinesLeft.set(count);
        return this;
    }

    /** Every notification is delivered this many times, concurrently. */
    public Script notificationCopies(int copies) {
        notificationCopies.set(copies);
        return this;
    }

    /** Notifications leave this much later than the change they announce (so they arrive after the API answer). */
    public Script notificationDelay(Duration delay) {
        notificationDelay.set(delay);
        return this;
    }

    /** Whether the simulated payer completes 3-D Secure at once; when not, the test confirms with the simulator. */
    public Script payerConfirms(boolean confirms) {
        payerConfirms.set(confirms);
        return this;
    }

    /** How long an authorisation lives before the simulator cancels it (YooKassa: 7 days for cards). */
    public Script holdLifetime(Duration lifetime) {
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

    // What the simulators read; each take* consumes one scripted misbehaviour.

    public Duration latency() {
        return latency.get();
    }

    public boolean takeFailure() {
        return take(failuresLeft);
    }

    /** How long to hang after acting, or zero. */
    public Duration takeHang() {
        return take(timeoutsLeft) ? timeout.get() : Duration.ZERO;
    }

    /** The decline reason for this payment, or null when it is not declined. */
    public String takeDecline() {
        return take(declinesLeft) ? declineReason.get() : null;
    }

    public boolean declinesPending() {
        return declinesLeft.get() > 0;
    }

    public int notificationCopiesNow() {
        return Math.max(1, notificationCopies.get());
    }

    public Duration notificationDelayNow() {
        return notificationDelay.get();
    }

    public boolean payerConfirmsNow() {
        return payerConfirms.get();
    }

    public Duration holdLifetimeNow() {
        return holdLifetime.get();
    }

    private static boolean take(AtomicInteger counter) {
        return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }
}

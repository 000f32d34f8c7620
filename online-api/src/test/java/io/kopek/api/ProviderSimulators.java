package io.kopek.api;

import io.kopek.sandbox.acme.AcmeProcessingSimulator;
import io.kopek.sandbox.sber.SberSimulator;
import io.kopek.sandbox.yookassa.YooKassaSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The three providers' simulators on loopback ports, one set per test class that starts them, and the settings that
 * point the application at them: a circuit breaker that opens after two failures in a window of two.
 */
record ProviderSimulators(YooKassaSimulator yookassa, SberSimulator sber, AcmeProcessingSimulator acme) {

    static final String SBER_KEY = "sber-callback-key";

    static ProviderSimulators start() {
        try {
            return new ProviderSimulators(
                    YooKassaSimulator.start(0, "shop-1", "yookassa-secret"),
                    SberSimulator.start(0, "kopek-api", "sber-password", SBER_KEY),
                    AcmeProcessingSimulator.start(0, "acme-key", "acme-callback-secret"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The application's provider settings, its breaker staying open for {@code waitInOpen}. */
    void register(DynamicPropertyRegistry p, Duration waitInOpen) {
        p.add("kopek.providers.yookassa.enabled", () -> "true");
        p.add("kopek.providers.yookassa.base-url", () -> yookassa.baseUrl().toString());
        p.add("kopek.providers.yookassa.shop-id", () -> "shop-1");
        p.add("kopek.providers.yookassa.secret-key", () -> "yookassa-secret");
        p.add("kopek.providers.yookassa.notification-addresses", () -> "127.0.0.1/32");
        p.add("kopek.providers.yookassa.request-timeout", () -> "1s");
        p.add("kopek.providers.sber.enabled", () -> "true");
        p.add("kopek.providers.sber.base-url", () -> sber.baseUrl().toString());
        p.add("kopek.providers.sber.user-name", () -> "kopek-api");
        p.add("kopek.providers.sber.password", () -> "sber-password");
        p.add("kopek.providers.sber.callback-key", () -> SBER_KEY);
        p.add("kopek.providers.sber.request-timeout", () -> "1s");
        p.add("kopek.generic-processors.acme.base-url", () -> acme.baseUrl().toString());
        p.add("kopek.generic-processors.acme.request-timeout", () -> "1s");
        p.add("kopek.card-payments.breaker.window", () -> "2");
        p.add("kopek.card-payments.breaker.failure-rate-threshold", () -> "100");
        p.add("kopek.card-payments.breaker.minimum-calls", () -> "2");
        p.add("kopek.card-payments.breaker.wait-in-open", () -> waitInOpen.toMillis() + "ms");
    }
}

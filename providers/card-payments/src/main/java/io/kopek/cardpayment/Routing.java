package io.kopek.cardpayment;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.kopek.errors.KopekException;
import io.kopek.provider.PaymentProvider;
import io.kopek.provider.ProviderException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * The payment providers there are (every {@link PaymentProvider} bean) and whether each is up: a circuit
 * breaker per provider counts unknown outcomes (timeouts, 5xx); a refusal is an answer, so it counts as up. A
 * new payment goes to the first provider in the rule's order whose breaker lets it through; an operation on an
 * existing payment always goes to that payment's provider.
 */
@Component
class Routing {

    private final Map<String, PaymentProvider> providers;
    private final CircuitBreakerRegistry breakers;

    Routing(List<PaymentProvider> providers, CardPaymentProperties properties) {
        this.providers = providers.stream().collect(Collectors.toUnmodifiableMap(PaymentProvider::id, p -> p));
        CardPaymentProperties.Breaker b = properties.breaker();
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(b.failureRateThreshold())
                .slidingWindowSize(b.window())
                .minimumNumberOfCalls(b.minimumCalls())
                .waitDurationInOpenState(b.waitInOpen())
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
    }

    /** A provider chosen for a new payment, holding its breaker's permission until {@link #call} uses it. */
    record Route(PaymentProvider provider, CircuitBreaker breaker) {}

    /** The first of {@code candidates} that exists and is up. */
    Route choose(List<String> candidates) {
        for (String id : candidates) {
            PaymentProvider provider = providers.get(id);
            if (provider == null) {
                continue;
            }
            CircuitBreaker breaker = breaker(id);
            if (breaker.tryAcquirePermission()) {
                return new Route(provider, breaker);
            }
        }
        throw KopekException.unavailable(
                "no-provider-available",
                "none of the providers " + candidates + " is configured and up; try again later");
    }

    PaymentProvider provider(String id) {
        PaymentProvider provider = providers.get(id);
        if (provider == null) {
            throw KopekException.notFound("payment provider", id);
        }
        return provider;
    }

    boolean has(String id) {
        return providers.containsKey(id);
    }

    /**
     * Calls the provider and tells its breaker how it went. {@code permitted}: the call uses the permission
     * {@link #choose} acquired for a new payment; other calls (on existing payments, checks) are never held back
     * by the breaker, since their payment cannot go elsewhere, but they count towards it. Callbacks do not count:
     * {@link #callOutsideTheBreaker}.
     */
    <T> T call(String id, boolean permitted, Function<PaymentProvider, T> operation) {
        PaymentProvider provider = provider(id);
        CircuitBreaker breaker = breaker(id);
        long start = System.nanoTime();
        try {
            T result = operation.apply(provider);
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return result;
        } catch (ProviderException e) {
            if (e.outcome() == ProviderException.Outcome.UNKNOWN) {
                breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            } else {
                breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
            throw e;
        } catch (RuntimeException e) {
            if (permitted) {
                breaker.releasePermission();
            }
            throw e;
        }
    }

    /**
     * Calls the provider without telling its breaker: for what a callback makes Kopek ask. Anyone can send a
     * callback, so its outcomes say nothing about the provider that real payments could rely on, and a flood of
     * fake ones must not open the breaker and send real payments elsewhere.
     */
    <T> T callOutsideTheBreaker(String id, Function<PaymentProvider, T> operation) {
        return operation.apply(provider(id));
    }

    private CircuitBreaker breaker(String id) {
        return breakers.circuitBreaker(id);
    }
}

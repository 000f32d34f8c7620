package io.kopek.provider;

import io.kopek.exchange.JsonExchange;
import io.kopek.pan.Pans;

/**
 * A provider operation that did not succeed. {@link Outcome#REFUSED}: the provider answered and nothing
 * happened (declined, invalid request), so a new attempt needs a new idempotency key. {@link Outcome#UNKNOWN}:
 * no usable answer (timeout, 5xx), so the operation may or may not have happened; repeat it with the same key
 * or ask {@link PaymentProvider#status}.
 */
public class ProviderException extends RuntimeException {

    public enum Outcome {
        REFUSED,
        UNKNOWN
    }

    private final String provider;
    private final Outcome outcome;
    private final String code;

    public ProviderException(String provider, Outcome outcome, String code, String message, Throwable cause) {
        super(provider + ": " + Pans.mask(message), cause); // it quotes the provider's answer, which is logged
        this.provider = provider;
        this.outcome = outcome;
        this.code = code;
    }

    public static ProviderException refused(String provider, String code, String message) {
        return new ProviderException(provider, Outcome.REFUSED, code, message, null);
    }

    public static ProviderException unknown(String provider, String message, Throwable cause) {
        return new ProviderException(provider, Outcome.UNKNOWN, "unknown", message, cause);
    }

    /**
     * For a provider's {@link JsonExchange}: no answer, or one that cannot be read, leaves the outcome unknown (the
     * provider may have acted), to be resolved by asking for the payment's status.
     */
    public static JsonExchange.Failures<ProviderException> failuresOf(String provider) {
        return new JsonExchange.Failures<>() {
            @Override
            public ProviderException noAnswer(String detail, Exception cause) {
                return unknown(provider, detail, cause);
            }

            @Override
            public ProviderException unreadable(String detail, Exception cause) {
                return unknown(provider, detail, cause);
            }
        };
    }

    public String provider() {
        return provider;
    }

    public Outcome outcome() {
        return outcome;
    }

    /**
     * What an API client may be told: the provider and its error code, never an address, a path or an exception's
     * name (those are in {@link #getMessage()}, for the logs).
     */
    public String publicDetail() {
        return outcome == Outcome.REFUSED
                ? provider + " refused the operation (" + code + ")"
                : provider + " gave no usable answer; the outcome is not known yet";
    }

    /** The provider's own error code when it gave one (e.g. {@code invalid_request}). */
    public String code() {
        return code;
    }
}

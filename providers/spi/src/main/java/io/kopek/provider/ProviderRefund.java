package io.kopek.provider;

import io.kopek.money.Money;
import java.util.Locale;

/**
 * A refund as the provider reports it: still {@code PENDING} at the provider, {@code SUCCEEDED}, or {@code CANCELED}
 * by it (the money stays with the payment; {@code failureReason} says why, card numbers masked).
 */
public record ProviderRefund(
        String providerRefundId, String providerPaymentId, Money amount, State state, String failureReason) {

    public enum State {
        PENDING,
        SUCCEEDED,
        CANCELED;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A refund the provider made at once. */
    public static ProviderRefund succeeded(String providerRefundId, String providerPaymentId, Money amount) {
        return new ProviderRefund(providerRefundId, providerPaymentId, amount, State.SUCCEEDED, null);
    }

    public boolean succeeded() {
        return state == State.SUCCEEDED;
    }
}

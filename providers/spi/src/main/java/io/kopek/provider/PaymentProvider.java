package io.kopek.provider;

import io.kopek.money.Money;

/**
 * A payment gateway, as Kopek sees it: a handful of operations, each keyed by an idempotency key that Kopek
 * chooses and keeps, so that an operation repeated after a timeout is recognised by the provider instead of
 * charging twice. Implementations are Spring beans configured under {@code kopek.providers.<id>}.
 *
 * <p>Every operation either returns the provider's view of the payment, or throws {@link ProviderException}
 * saying whether the outcome is known (refused) or unknown (timeout, 5xx): an unknown outcome is resolved
 * later with {@link #status}, never by creating the payment again under another key.
 */
public interface PaymentProvider {

    /** The id used in configuration, billing rules and the ledger, e.g. {@code yookassa}. */
    String id();

    /** One-stage ({@code hold=false}: charged at once) or two-stage ({@code hold=true}: authorised, captured later). */
    ProviderPayment create(CreatePayment request);

    /** Captures all or part of an authorised payment; the rest is released by the provider. */
    ProviderPayment capture(String providerPaymentId, Money amount, String idempotencyKey);

    /** Voids an authorised payment. */
    ProviderPayment cancel(String providerPaymentId, String idempotencyKey);

    /** Refunds all or part of a succeeded payment. */
    ProviderRefund refund(String providerPaymentId, Money amount, String idempotencyKey);

    /**
     * A refund the provider answered {@code PENDING}, as it is now; empty for a provider that cannot be asked about
     * one refund (its payment's refunded total then tells).
     */
    default java.util.Optional<ProviderRefund> refundStatus(String providerRefundId) {
        return java.util.Optional.empty();
    }

    /** The provider's current view of a payment: the way to resolve unknown outcomes and to confirm callbacks. */
    ProviderPayment status(String providerPaymentId);

    /**
     * Authenticates an incoming callback and turns it into the event it announces, or rejects it with
     * {@link CallbackRejectedException} (forged, from an unknown address, malformed). Verification may ask the
     * provider for the object it names.
     */
    ProviderEvent verify(Callback callback);

    /**
     * Whether a callback may come from this address at all, asked before its body is read: a provider that
     * publishes where it sends from says no to everyone else. {@link #verify} is still the authentication.
     */
    default boolean acceptsCallbacksFrom(String remoteAddress) {
        return true;
    }
}

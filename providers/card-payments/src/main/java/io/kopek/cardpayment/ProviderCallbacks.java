package io.kopek.cardpayment;

import io.kopek.provider.Callback;
import io.kopek.provider.CallbackRejectedException;
import io.kopek.provider.ProviderEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Callbacks from the payment providers. Each is authenticated by its provider ({@link
 * io.kopek.provider.PaymentProvider#verify}: a checksum, a signature, an allowed address, plus a fresh look at
 * the payment) and then only the provider's current view of the payment is acted on, through the same path as
 * every other answer: so a forged callback changes nothing, and a repeated, late or out-of-order one changes
 * nothing more.
 */
@Service
public class ProviderCallbacks {

    private static final Logger log = LoggerFactory.getLogger(ProviderCallbacks.class);

    public enum Outcome {
        /** Verified and mirrored (or already mirrored). */
        APPLIED,
        /** Verified, but it names no card payment of ours: acknowledged and ignored. */
        NOT_OURS
    }

    private final Routing routing;
    private final CardPayments payments;

    ProviderCallbacks(Routing routing, CardPayments payments) {
        this.routing = routing;
        this.payments = payments;
    }

    /**
     * Verifies and applies a callback. Throws {@link CallbackRejectedException} when it cannot be authenticated,
     * and {@link io.kopek.provider.ProviderException} when the provider could not be asked (the provider should
     * then deliver it again).
     */
    public Outcome handle(String provider, Callback callback) {
        ProviderEvent event;
        try {
            event = routing.callOutsideTheBreaker(provider, p -> p.verify(callback));
        } catch (CallbackRejectedException e) {
            log.warn("rejected a {} callback from {}: {}", provider, callback.remoteAddress(), e.getMessage());
            throw e;
        }
        var applied = payments.applyCallback(provider, event.payment());
        if (applied.isEmpty()) {
            log.info(
                    "{} callback {} names payment {} that is not one of Kopek's card payments",
                    provider,
                    event.eventKey(),
                    event.payment().providerPaymentId());
            return Outcome.NOT_OURS;
        }
        log.info("{} callback {} applied to card payment {}", provider, event.eventKey(), applied.get());
        return Outcome.APPLIED;
    }

    /**
     * Refuses a callback by its sender's address alone, before its body is read, when the provider publishes
     * where its callbacks come from ({@link io.kopek.provider.PaymentProvider#acceptsCallbacksFrom}).
     */
    public void admit(String provider, String remoteAddress) {
        if (!routing.provider(provider).acceptsCallbacksFrom(remoteAddress)) {
            log.warn("refused a {} callback from {}: not an address it sends from", provider, remoteAddress);
            throw new CallbackRejectedException(
                    provider,
                    CallbackRejectedException.Reason.SENDER_NOT_ALLOWED,
                    "the sender's address is not one " + provider + " sends callbacks from");
        }
    }

    /** Whether a provider of this id is configured. */
    public boolean knows(String provider) {
        return routing.has(provider);
    }
}

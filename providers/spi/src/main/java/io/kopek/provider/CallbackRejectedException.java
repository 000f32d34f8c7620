package io.kopek.provider;

import io.kopek.pan.Pans;

/** A callback that could not be authenticated or read; nothing in it is acted on. */
public class CallbackRejectedException extends RuntimeException {

    /** Why, which decides the answer the sender gets. */
    public enum Reason {
        /** No valid signature or checksum, or the provider does not confirm what it names. */
        UNAUTHENTICATED,
        /** From an address the provider never sends from; refused before its body is read. */
        SENDER_NOT_ALLOWED,
        /** Not readable as the provider's callback, e.g. a payment id of the wrong shape; nothing was asked. */
        MALFORMED
    }

    private final Reason reason;

    public CallbackRejectedException(String provider, String why) {
        this(provider, Reason.UNAUTHENTICATED, why);
    }

    public CallbackRejectedException(String provider, Reason reason, String why) {
        super(provider + " callback rejected: " + Pans.mask(why)); // logged, and may quote the callback
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

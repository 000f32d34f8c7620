package io.kopek.provider;

import io.kopek.pan.Pans;

/** A callback that could not be authenticated or read; nothing in it is acted on. */
public class CallbackRejectedException extends RuntimeException {

    public CallbackRejectedException(String provider, String why) {
        super(provider + " callback rejected: " + Pans.mask(why)); // logged, and may quote the callback
    }
}

package io.kopek.provider;

/** A callback that could not be authenticated or read; nothing in it is acted on. */
public class CallbackRejectedException extends RuntimeException {

    public CallbackRejectedException(String provider, String why) {
        super(provider + " callback rejected: " + why);
    }
}

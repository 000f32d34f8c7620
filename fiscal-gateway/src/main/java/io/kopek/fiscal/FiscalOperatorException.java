package io.kopek.fiscal;

/**
 * An operator call that did not succeed. {@link #retryable()}: a network error, a 5xx, an expired session or a
 * "repeat later" answer; the receipt waits and is sent again with the same external id. Otherwise the operator
 * refused the receipt itself (validation) and sending it again would not help.
 */
public class FiscalOperatorException extends RuntimeException {

    private final boolean retryable;

    private FiscalOperatorException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public static FiscalOperatorException retryable(String message, Throwable cause) {
        return new FiscalOperatorException(message, true, cause);
    }

    public static FiscalOperatorException retryable(String message) {
        return new FiscalOperatorException(message, true, null);
    }

    public static FiscalOperatorException rejected(String message) {
        return new FiscalOperatorException(message, false, null);
    }

    public boolean retryable() {
        return retryable;
    }
}

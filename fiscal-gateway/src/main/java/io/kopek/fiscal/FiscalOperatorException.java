package io.kopek.fiscal;

/**
 * An operator call that did not succeed. {@link #retryable()}: a network error, a 5xx, an expired session or a
 * "repeat later" answer; the receipt waits and is sent again with the same external id. Otherwise the operator
 * refused the receipt itself (validation) and sending it again would not help.
 */
public class FiscalOperatorException extends RuntimeException {

    private final boolean retryable;
    private final boolean needsPerson;

    private FiscalOperatorException(String message, boolean retryable, boolean needsPerson, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.needsPerson = needsPerson;
    }

    /**
     * The operator's answer leaves the receipt's fate unknowable by asking again (a "registered before" without the
     * registered receipt's id, a report kept no longer): retrying for ever would hide it, so it stops for a person.
     */
    public static FiscalOperatorException needsPerson(String message) {
        return new FiscalOperatorException(message, false, true, null);
    }

    public boolean needsPerson() {
        return needsPerson;
    }

    public static FiscalOperatorException retryable(String message, Throwable cause) {
        return new FiscalOperatorException(message, true, false, cause);
    }

    public static FiscalOperatorException retryable(String message) {
        return new FiscalOperatorException(message, true, false, null);
    }

    public static FiscalOperatorException rejected(String message) {
        return new FiscalOperatorException(message, false, false, null);
    }

    public boolean retryable() {
        return retryable;
    }
}

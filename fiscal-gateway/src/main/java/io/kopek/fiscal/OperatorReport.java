package io.kopek.fiscal;

/**
 * An operator's answer about one receipt: {@code attributes} and the registered {@code total} (kopecks, when the
 * operator says it) when done; {@code error} when failed, {@code resendable} when the failure is the operator's own
 * (its queue timed out) and a send under a new external id fixes it.
 */
public record OperatorReport(Status status, FiscalAttributes attributes, Long total, String error, boolean resendable) {

    public enum Status {
        WAIT,
        DONE,
        FAIL
    }

    public static OperatorReport waiting() {
        return new OperatorReport(Status.WAIT, null, null, null, false);
    }

    public static OperatorReport done(FiscalAttributes attributes, Long total) {
        return new OperatorReport(Status.DONE, attributes, total, null, false);
    }

    public static OperatorReport failed(String error, boolean resendable) {
        return new OperatorReport(Status.FAIL, null, null, error, resendable);
    }
}

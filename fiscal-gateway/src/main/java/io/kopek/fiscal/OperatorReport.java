package io.kopek.fiscal;

/** An operator's answer about one receipt: {@code attributes} when done, {@code error} when failed. */
public record OperatorReport(Status status, FiscalAttributes attributes, String error) {

    public enum Status {
        WAIT,
        DONE,
        FAIL
    }

    public static OperatorReport waiting() {
        return new OperatorReport(Status.WAIT, null, null);
    }

    public static OperatorReport done(FiscalAttributes attributes) {
        return new OperatorReport(Status.DONE, attributes, null);
    }

    public static OperatorReport failed(String error) {
        return new OperatorReport(Status.FAIL, null, error);
    }
}

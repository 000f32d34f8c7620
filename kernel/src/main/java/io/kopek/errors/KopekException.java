package io.kopek.errors;

/**
 * A request that the domain refuses, with a stable {@code type} (a short slug the API turns into an RFC 9457
 * problem type) and a kind that decides the HTTP status.
 */
public class KopekException extends RuntimeException {

    public enum Kind {
        NOT_FOUND,
        CONFLICT,
        INVALID,
        /** The request itself is malformed (an unknown or unreadable parameter): nothing was looked at. */
        MALFORMED,
        /** Something Kopek depends on (a payment provider) cannot serve the request now; retrying later may work. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final String type;

    public KopekException(Kind kind, String type, String detail) {
        super(detail);
        this.kind = kind;
        this.type = type;
    }

    public static KopekException notFound(String what, Object id) {
        return new KopekException(Kind.NOT_FOUND, "not-found", what + " " + id + " does not exist");
    }

    public static KopekException conflict(String type, String detail) {
        return new KopekException(Kind.CONFLICT, type, detail);
    }

    public static KopekException invalid(String type, String detail) {
        return new KopekException(Kind.INVALID, type, detail);
    }

    public static KopekException malformed(String type, String detail) {
        return new KopekException(Kind.MALFORMED, type, detail);
    }

    public static KopekException unavailable(String type, String detail) {
        return new KopekException(Kind.UNAVAILABLE, type, detail);
    }

    public Kind kind() {
        return kind;
    }

    public String type() {
        return type;
    }
}

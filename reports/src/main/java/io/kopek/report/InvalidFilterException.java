package io.kopek.report;

/** A filter value the report cannot take, naming the field; nothing was read or written. */
public class InvalidFilterException extends RuntimeException {

    private final String field;

    public InvalidFilterException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The field as the API names it ({@code filters.min_amount}, {@code format}). */
    public String field() {
        return field;
    }
}

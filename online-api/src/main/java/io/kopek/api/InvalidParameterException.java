package io.kopek.api;

/**
 * A parameter or field of a request that the handler itself refuses (a period the wrong way round, two
 * alternatives given together): a 400 {@code validation} naming it, as bean validation's refusals are.
 */
class InvalidParameterException extends RuntimeException {

    private final String field;

    InvalidParameterException(String field, String message) {
        super(message);
        this.field = field;
    }

    String field() {
        return field;
    }
}

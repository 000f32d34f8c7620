package io.kopek.sandbox.registry;

/** What real registries do to the people who read them; a simulator writes any combination on request. */
public enum Ugliness {
    /** a UTF-8 byte-order mark before the header */
    BOM,
    /** CR LF line ends */
    CRLF,
    /** Windows-1251 instead of UTF-8 */
    CP1251,
    /** empty lines after the last one */
    TRAILING_EMPTY_LINES,
    /** descriptions holding the separator and quotes, so that they must be quoted */
    QUOTED_SEPARATORS,
    /** a full card number on the first operation line, where a masked one (or a description) belongs */
    FULL_PAN,
    /** the file cut off in the middle of a line */
    TRUNCATED,
    /** a totals line that does not add up (for registries that have one) */
    WRONG_TRAILER_TOTAL,
    /** an unparsable amount on the second operation line */
    BAD_AMOUNT,
    /** an operation type the provider's documentation does not know, on the third operation line */
    UNKNOWN_OPERATION,
    /** the 31st of February as the operation time of the fourth operation line, in the registry's own format */
    IMPOSSIBLE_DATE;

    /** A test card number that passes the Luhn check: what {@link #FULL_PAN} writes. */
    public static final String FULL_PAN_NUMBER = "4276380012345679";
}

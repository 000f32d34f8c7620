package io.kopek.provider;

/**
 * A registry line that could not be read, with why (e.g. {@code unparsable amount "12,3,4" in column СУММА}). The
 * reason quotes the line's values only after masking, so it never holds a full card number.
 */
public record RejectedLine(long lineNumber, String reason, boolean panMasked) {}

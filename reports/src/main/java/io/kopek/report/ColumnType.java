package io.kopek.report;

/**
 * What a column holds, and so the Java type of its values in a row and how each format writes it. A value may be
 * {@code null} in any column (an empty cell).
 */
public enum ColumnType {
    /** {@link String}; written as text, never as a formula. */
    TEXT,
    /** {@link java.time.LocalDate}. */
    DATE,
    /** {@link java.time.LocalDateTime} in the business zone (Moscow), as accountants read times. */
    TIMESTAMP,
    /** {@link Long} minor units (kopecks), written in major units (roubles) with two decimals. */
    MONEY,
    /** {@link Long}: a count or an id. */
    INTEGER,
    /** {@link java.math.BigDecimal}: a quantity or a rate, written as it is. */
    DECIMAL
}

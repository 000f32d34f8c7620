package io.kopek.billing;

import java.math.BigDecimal;

/**
 * The largest numbers Kopek takes in, checked where they come in (the API's validation) and again by the services
 * before any arithmetic, so that a number too big is a refusal naming it and never an overflow.
 */
public final class Bounds {

    private Bounds() {}

    /**
     * The largest amount of one request, product price or invoice: 10^12 minor units (10 000 000 000.00 of a
     * two-decimal currency). A long holds 9.2 × 10^18, so the ledger could add up more than nine million such
     * amounts on one account before it came near overflowing.
     */
    public static final long MAX_AMOUNT = 1_000_000_000_000L;

    /** The largest quantity of an order's item, as ATOL v5 allows it on a receipt (at most 99999999). */
    public static final String MAX_QUANTITY_TEXT = "99999999";

    public static final BigDecimal MAX_QUANTITY = new BigDecimal(MAX_QUANTITY_TEXT);

    /** A quantity's decimals: ATOL v5's {@code multipleOf 0.000001}. */
    public static final int QUANTITY_DECIMALS = 6;
}

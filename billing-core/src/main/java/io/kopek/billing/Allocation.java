package io.kopek.billing;

import java.math.BigInteger;

/** Splitting an amount over parts in proportion to their weights, exactly: the shares add up to the amount. */
final class Allocation {

    private Allocation() {}

    /**
     * Largest-remainder method: each part gets the floor of its exact share, and the kopecks left over go to
     * the parts with the largest remainders (the earlier part on a tie). A part never gets more than its weight
     * when the amount does not exceed the total weight.
     */
    static long[] proportional(long amount, long[] weights) {
        long total = 0;
        for (long w : weights) {
            total = Math.addExact(total, w);
        }
        long[] shares = new long[weights.length];
        if (total == 0 || amount == 0) {
            return shares;
        }
        BigInteger[] remainders = new BigInteger[weights.length];
        long given = 0;
        for (int i = 0; i < weights.length; i++) {
            BigInteger[] division = BigInteger.valueOf(amount)
                    .multiply(BigInteger.valueOf(weights[i]))
                    .divideAndRemainder(BigInteger.valueOf(total));
            shares[i] = division[0].longValueExact();
            remainders[i] = division[1];
            given += shares[i];
        }
        for (long left = amount - given; left > 0; left--) {
            int best = -1;
            for (int i = 0; i < weights.length; i++) {
                if (remainders[i].signum() > 0 && (best < 0 || remainders[i].compareTo(remainders[best]) > 0)) {
                    best = i;
                }
            }
            shares[best]++;
            remainders[best] = BigInteger.ZERO;
        }
        return shares;
    }
}

package io.kopek.sandbox.registry;

/** A provider's fee: a rate in basis points, rounded half up to the kopeck, in integer arithmetic. */
public final class Commission {

    private volatile int basisPoints;

    public Commission(int basisPoints) {
        rate(basisPoints);
    }

    public void rate(int basisPoints) {
        if (basisPoints < 0 || basisPoints > 10_000) {
            throw new IllegalArgumentException("a commission rate is 0 to 10000 basis points");
        }
        this.basisPoints = basisPoints;
    }

    /** The fee on {@code kopecks}. */
    public long of(long kopecks) {
        return Math.floorDiv(Math.multiplyExact(kopecks, basisPoints) + 5_000, 10_000);
    }
}

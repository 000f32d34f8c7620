package io.kopek.provider;

/** What a registry line did to the merchant's money. */
public enum RegistryOperation {
    /** A one-stage payment charged. */
    PAYMENT(1),
    /** A two-stage payment captured (all or part of the hold). */
    CAPTURE(1),
    /** Money given back to the payer at the merchant's request. */
    REFUND(-1),
    /** Money taken back by the payer's bank. */
    CHARGEBACK(-1);

    private final int direction;

    RegistryOperation(int direction) {
        this.direction = direction;
    }

    /** +1 when the operation brings the merchant money, -1 when it takes money back. */
    public int direction() {
        return direction;
    }
}

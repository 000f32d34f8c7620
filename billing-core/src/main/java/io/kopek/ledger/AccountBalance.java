package io.kopek.ledger;

import io.kopek.money.Money;

/**
 * An account's balance on its normal side. {@code posted} counts posted entries; {@code pendingOut} is what
 * pending transfers (holds) would take away and {@code pendingIn} what they would add when posted.
 */
public record AccountBalance(String code, Money posted, Money pendingOut, Money pendingIn) {

    /** What can still be spent: posted minus what holds have reserved. */
    public Money available() {
        return posted.minus(pendingOut);
    }
}

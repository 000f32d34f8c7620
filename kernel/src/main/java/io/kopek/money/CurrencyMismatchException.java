package io.kopek.money;

import java.util.Currency;

/** Two amounts of different currencies were combined; Kopek never converts implicitly. */
public class CurrencyMismatchException extends IllegalArgumentException {

    public CurrencyMismatchException(Currency left, Currency right) {
        super("cannot combine " + left.getCurrencyCode() + " with " + right.getCurrencyCode());
    }
}

package io.kopek.ledger;

/** A transaction names an account that was never opened. */
public class UnknownAccountException extends IllegalArgumentException {

    public UnknownAccountException(String code) {
        super("ledger account " + code + " does not exist");
    }
}

package io.kopek.ledger;

import io.kopek.money.Money;

/** A posting would take an account that may not go negative below zero; nothing was written. */
public class InsufficientFundsException extends RuntimeException {

    private final String accountCode;
    private final Money available;
    private final Money requested;

    public InsufficientFundsException(String accountCode, Money available, Money requested) {
        super("account " + accountCode + " has " + available + " available, " + requested + " requested");
        this.accountCode = accountCode;
        this.available = available;
        this.requested = requested;
    }

    public String accountCode() {
        return accountCode;
    }

    public Money available() {
        return available;
    }

    public Money requested() {
        return requested;
    }
}

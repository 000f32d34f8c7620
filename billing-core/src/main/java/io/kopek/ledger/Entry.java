package io.kopek.ledger;

import io.kopek.money.Money;
import java.util.Objects;

/** One leg of a ledger transaction: an amount debited or credited to an account. */
public record Entry(String accountCode, Side side, Money amount) {

    public Entry {
        Objects.requireNonNull(accountCode, "accountCode");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(amount, "amount");
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("an entry amount must be positive, got " + amount);
        }
    }

    public static Entry debit(String accountCode, Money amount) {
        return new Entry(accountCode, Side.DEBIT, amount);
    }

    public static Entry credit(String accountCode, Money amount) {
        return new Entry(accountCode, Side.CREDIT, amount);
    }
}

package io.kopek.ledger;

import java.util.Currency;
import java.util.Objects;

/**
 * How to open an account: its code (a readable, stable name such as {@code customer:42:balance:RUB}), its
 * currency, the side that increases it, and whether it may go below zero.
 */
public record AccountSpec(String code, Currency currency, Side normalSide, boolean allowNegative) {

    public AccountSpec {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(normalSide, "normalSide");
    }

    /** Assets and expenses: increased by debits, e.g. provider clearing, fees. */
    public static AccountSpec debitNormal(String code, Currency currency, boolean allowNegative) {
        return new AccountSpec(code, currency, Side.DEBIT, allowNegative);
    }

    /** Liabilities and revenue: increased by credits, e.g. a customer's prepaid balance, VAT payable. */
    public static AccountSpec creditNormal(String code, Currency currency, boolean allowNegative) {
        return new AccountSpec(code, currency, Side.CREDIT, allowNegative);
    }
}

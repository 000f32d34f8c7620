package io.kopek.money;

import java.util.Currency;
import java.util.Objects;

/**
 * An amount in minor units (kopecks for RUB) of one ISO 4217 currency. Never a floating-point number: every
 * computation on money in Kopek is exact integer arithmetic, and overflow is an error rather than a wrap.
 */
public record Money(long minor, Currency currency) implements Comparable<Money> {

    public static final Currency RUB = Currency.getInstance("RUB");

    public Money {
        Objects.requireNonNull(currency, "currency");
    }

    public static Money of(long minor, String currencyCode) {
        return new Money(minor, Currency.getInstance(currencyCode));
    }

    public static Money rub(long kopecks) {
        return new Money(kopecks, RUB);
    }

    public static Money zero(Currency currency) {
        return new Money(0, currency);
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.addExact(minor, other.minor), currency);
    }

    public Money minus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.subtractExact(minor, other.minor), currency);
    }

    public Money negate() {
        return new Money(Math.negateExact(minor), currency);
    }

    public Money times(long factor) {
        return new Money(Math.multiplyExact(minor, factor), currency);
    }

    public boolean isZero() {
        return minor == 0;
    }

    public boolean isPositive() {
        return minor > 0;
    }

    public boolean isNegative() {
        return minor < 0;
    }

    @Override
    public int compareTo(Money other) {
        requireSameCurrency(other);
        return Long.compare(minor, other.minor);
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new CurrencyMismatchException(currency, other.currency);
        }
    }

    /** "1500.00 RUB": major units with the currency's own number of fraction digits. */
    @Override
    public String toString() {
        int digits = Math.max(currency.getDefaultFractionDigits(), 0);
        return java.math.BigDecimal.valueOf(minor, digits).toPlainString() + " " + currency.getCurrencyCode();
    }
}

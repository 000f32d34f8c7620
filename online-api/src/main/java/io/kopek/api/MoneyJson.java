package io.kopek.api;

import io.kopek.billing.Bounds;
import io.kopek.errors.KopekException;
import io.kopek.money.Money;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.Currency;

/**
 * Money as requests carry it: integer minor units and an ISO 4217 code. The amount is bounded here, before any
 * arithmetic ({@link Bounds#MAX_AMOUNT}).
 */
record MoneyJson(
        @NotNull @PositiveOrZero @Max(Bounds.MAX_AMOUNT) Long amount,

        @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code")
        String currency) {

    Money toMoney() {
        try {
            return new Money(amount, Currency.getInstance(currency));
        } catch (IllegalArgumentException e) {
            throw KopekException.invalid("unknown-currency", "unknown currency " + currency);
        }
    }

    static Money orNull(MoneyJson json) {
        return json == null ? null : json.toMoney();
    }
}

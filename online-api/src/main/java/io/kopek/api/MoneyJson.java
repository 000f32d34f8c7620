package io.kopek.api;

import io.kopek.billing.Bounds;
import io.kopek.errors.KopekException;
import io.kopek.money.Money;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.Currency;

/**
 * Money as requests carry it: integer minor units and an ISO 4217 code. Its size is bounded here, before any
 * arithmetic ({@link Bounds#MAX_AMOUNT}); its sign is the services' to refuse, each with its own problem type.
 */
record MoneyJson(
        @NotNull @Min(-Bounds.MAX_AMOUNT) @Max(Bounds.MAX_AMOUNT)
        Long amount,

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

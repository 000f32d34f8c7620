package io.kopek.api;

import io.kopek.billing.Bounds;
import io.kopek.errors.KopekException;
import io.kopek.money.Money;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.Currency;
import tools.jackson.core.JsonGenerator;

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

    /**
     * Null, or what the annotations ask: an amount within the bounds and three capital Latin letters. The lean path
     * checks a hold's body so ({@link HoldsLeanPath}); HoldsLeanPathTest holds it to bean validation's verdicts.
     */
    static boolean valid(MoneyJson money) {
        if (money == null) {
            return true;
        }
        String code = money.currency();
        return money.amount() != null
                && money.amount() >= -Bounds.MAX_AMOUNT
                && money.amount() <= Bounds.MAX_AMOUNT
                && code != null
                && code.length() == 3
                && capital(code.charAt(0))
                && capital(code.charAt(1))
                && capital(code.charAt(2));
    }

    private static boolean capital(char c) {
        return c >= 'A' && c <= 'Z';
    }

    /** Money as the API writes it: {@code {"amount": 150000, "currency": "RUB"}}. */
    static void write(JsonGenerator gen, Money value) {
        gen.writeStartObject();
        gen.writeNumberProperty("amount", value.minor());
        gen.writeStringProperty("currency", value.currency().getCurrencyCode());
        gen.writeEndObject();
    }

    static Money orNull(MoneyJson json) {
        return json == null ? null : json.toMoney();
    }
}

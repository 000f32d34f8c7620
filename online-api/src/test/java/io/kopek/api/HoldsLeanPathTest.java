package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.billing.Bounds;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

/** The lean path's own checks of a hold's body give bean validation's verdicts, at and around every bound. */
class HoldsLeanPathTest {

    private static final Validator VALIDATION = Validation.byDefaultProvider()
            .configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory()
            .getValidator();

    private static final List<MoneyJson> AMOUNTS = amounts();

    private static List<MoneyJson> amounts() {
        List<MoneyJson> amounts = new ArrayList<>();
        amounts.add(null);
        for (Long amount : Arrays.asList(
                null,
                0L,
                1L,
                -1L,
                Bounds.MAX_AMOUNT,
                Bounds.MAX_AMOUNT + 1,
                -Bounds.MAX_AMOUNT,
                -Bounds.MAX_AMOUNT - 1)) {
            for (String currency :
                    Arrays.asList(null, "RUB", "rub", "RuB", "RU", "RUBB", "", "R1B", "ЁЖЗ", "@[`", " RU", "XXX")) {
                amounts.add(new MoneyJson(amount, currency));
            }
        }
        return amounts;
    }

    @Test
    void aPlacementIsValidExactlyWhenBeanValidationFindsNothingWrong() {
        int valid = 0, invalid = 0;
        for (Long invoice : Arrays.asList(null, 1L, -5L)) {
            for (MoneyJson amount : AMOUNTS) {
                for (Integer lifetime : Arrays.asList(
                        null,
                        Integer.MIN_VALUE,
                        -1,
                        0,
                        1,
                        3600,
                        HoldsApi.PlaceHold.MAX_LIFETIME_SECONDS,
                        HoldsApi.PlaceHold.MAX_LIFETIME_SECONDS + 1,
                        Integer.MAX_VALUE)) {
                    var hold = new HoldsApi.PlaceHold(invoice, amount, lifetime);
                    boolean expected = VALIDATION.validate(hold).isEmpty();
                    assertThat(hold.valid()).as("%s", hold).isEqualTo(expected);
                    if (expected) {
                        valid++;
                    } else {
                        invalid++;
                    }
                }
            }
        }
        assertThat(valid).as("valid placements among those checked").isGreaterThan(50);
        assertThat(invalid).as("invalid placements among those checked").isGreaterThan(50);
    }

    @Test
    void aCaptureIsValidExactlyWhenBeanValidationFindsNothingWrong() {
        for (MoneyJson amount : AMOUNTS) {
            var capture = new HoldsApi.Capture(amount);
            assertThat(capture.valid())
                    .as("%s", capture)
                    .isEqualTo(VALIDATION.validate(capture).isEmpty());
        }
    }
}

package io.kopek.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void addsAndSubtractsExactlyInMinorUnits() {
        assertThat(Money.rub(10).plus(Money.rub(20))).isEqualTo(Money.rub(30));
        assertThat(Money.rub(10).minus(Money.rub(25))).isEqualTo(Money.rub(-15));
    }

    @Test
    void combiningCurrenciesIsRejected() {
        assertThatThrownBy(() -> Money.rub(1).plus(Money.of(1, "USD")))
                .isInstanceOf(CurrencyMismatchException.class)
                .hasMessageContaining("RUB")
                .hasMessageContaining("USD");
    }

    @Test
    void overflowIsAnErrorNotAWrap() {
        assertThatThrownBy(() -> Money.rub(Long.MAX_VALUE).plus(Money.rub(1))).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void printsMajorUnitsWithTheCurrencysFractionDigits() {
        assertThat(Money.rub(150_001)).hasToString("1500.01 RUB");
        assertThat(Money.of(-5, "JPY")).hasToString("-5 JPY");
    }
}

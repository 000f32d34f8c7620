package io.kopek.pan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Card numbers in the shapes people and careless systems write them. */
class PansTest {

    /** 5000 + 8000 + 100000006 is a Luhn-valid 17-digit run across the UUID's dashes. */
    static final String PAYMENT_ID = "2d9f4a12-000f-5000-8000-100000006abc";

    @Test
    void aUuidIsAnIdNeverACardNumberEvenWhenItsDigitsWouldPassTheLuhnCheck() {
        assertThat(Pans.luhn("50008000100000006")).isTrue();

        assertThat(Pans.mask(PAYMENT_ID)).isEqualTo(PAYMENT_ID);
        assertThat(Pans.containsPan(PAYMENT_ID)).isFalse();
        assertThat(Pans.mask("payment " + PAYMENT_ID + " by 4276 3800 1234 5679"))
                .isEqualTo("payment " + PAYMENT_ID + " by 427638******5679");
        assertThat(Pans.containsPan("4276 3800 " + PAYMENT_ID)).isFalse();
    }

    @Test
    void aCardNumberIsMaskedWhateverSeparatesItsGroups() {
        assertThat(Pans.mask("4276.3800.1234.5679")).isEqualTo("427638******5679");
        assertThat(Pans.mask("4276  3800  1234  5679")).isEqualTo("427638******5679");
        assertThat(Pans.mask("4276_3800_1234_5679")).isEqualTo("427638******5679");
        assertThat(Pans.mask("4276/3800/1234/5679")).isEqualTo("427638******5679");
        assertThat(Pans.mask("4276 - 3800 - 1234 - 5679")).isEqualTo("427638******5679");
        assertThat(Pans.mask("4276\u00A03800\u00A01234\u00A05679")).isEqualTo("427638******5679");
        assertThat(Pans.mask("42763800 12345679")).isEqualTo("427638******5679");
    }

    @Test
    void digitsThatNoSeparatorJoinsAreNoCardNumberThoughThereAreThirteenButACardNumberBesideADateIsMasked() {
        assertThat(Pans.mask("24.11.2026 12:34:56")).isEqualTo("24.11.2026 12:34:56");
        assertThat(Pans.containsPan("2026-11-24T12:34:56+03:00")).isFalse();
        assertThat(Pans.mask("24.11.2026, 4276 3800 1234 5679")).isEqualTo("24.11.2026, 427638******5679");
        assertThat(Pans.mask("12:4276 3800 1234 5679:00")).isEqualTo("12:427638******5679:00");
    }

    @Test
    void aCardNumberGluedToLettersIsMasked() {
        assertThat(Pans.mask("card4276380012345679")).isEqualTo("card427638******5679");
        assertThat(Pans.mask("4276380012345679RUB")).isEqualTo("427638******5679RUB");
        assertThat(Pans.mask("acme_4276380012345679ab")).isEqualTo("acme_427638******5679ab");
    }

    @Test
    void anAmexNumberInItsFourSixFiveGroupsIsMasked() {
        assertThat(Pans.mask("Amex 3782 822463 10005 ok")).isEqualTo("Amex 378282*****0005 ok");
        assertThat(Pans.mask("378282246310005")).isEqualTo("378282*****0005");
    }

    @Test
    void aCardNumberBesideOtherNumbersIsStillFound() {
        assertThat(Pans.mask("4276 3800 1234 5679 12 2026")).isEqualTo("427638******5679 12 2026");
        assertThat(Pans.mask("1 4276380012345679")).isEqualTo("1 427638******5679");
        assertThat(Pans.mask("4276380012345679, 4111 1111 1111 1111")).isEqualTo("427638******5679, 411111******1111");
    }

    @Test
    void whatIsLeftOfAMaskedNumberDoesNotMakeANewOne() {
        // 5679 1234 5678 8 is Luhn-valid too: once the first is masked, its last four and the rest are another
        String text = "4276 3800 1234 5679 1234 5678 8";

        assertThat(Pans.mask(text)).isEqualTo("427638******567912***6788");
        assertThat(Pans.containsPan(Pans.mask(text))).isFalse();
    }

    @Test
    void numbersThatAreNotCardNumbersAreLeftAlone() {
        assertThat(Pans.mask("4276.3800.1234.5678")).as("fails Luhn").isEqualTo("4276.3800.1234.5678");
        assertThat(Pans.mask("427638******5679")).isEqualTo("427638******5679");
        assertThat(Pans.mask("42763800123456790000"))
                .as("a 20-digit id is not a card number, whatever digits are inside it")
                .isEqualTo("42763800123456790000");
        assertThat(Pans.mask("24.11.2026 12:00:00; 1000,00")).isEqualTo("24.11.2026 12:00:00; 1000,00");
        assertThat(Pans.containsPan("order 123")).isFalse();
        assertThat(Pans.containsPan(null)).isFalse();
    }
}

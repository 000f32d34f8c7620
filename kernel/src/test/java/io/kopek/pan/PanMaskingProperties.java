package io.kopek.pan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever shape a card number is written in and whatever surrounds it, no full number survives masking. */
class PanMaskingProperties {

    /** A Luhn-valid number of 13–19 digits. */
    @Provide
    Arbitrary<String> pans() {
        return Arbitraries.integers()
                .between(13, 19)
                .flatMap(length ->
                        Arbitraries.strings().numeric().ofLength(length - 1).map(body -> body + checkDigit(body)));
    }

    /** The number's digits cut into groups, joined by runs of separators. */
    @Provide
    Arbitrary<String> writtenPans() {
        Arbitrary<String> separators = Arbitraries.of(" ", ".", "-", "_", "/", "\u00A0", "\t")
                .list()
                .ofMinSize(1)
                .ofMaxSize(3)
                .map(l -> String.join("", l));
        return Combinators.combine(
                        pans(),
                        Arbitraries.integers().between(2, 7).list().ofMinSize(1).ofMaxSize(8),
                        separators.list().ofSize(8))
                .as((pan, cuts, seps) -> {
                    StringBuilder out = new StringBuilder();
                    int at = 0;
                    for (int i = 0; i < cuts.size() && at + cuts.get(i) < pan.length(); i++) {
                        out.append(pan, at, at + cuts.get(i)).append(seps.get(i));
                        at += cuts.get(i);
                    }
                    return out.append(pan.substring(at)).toString();
                });
    }

    @Provide
    Arbitrary<String> surroundings() {
        return Arbitraries.oneOf(
                Arbitraries.strings().alpha().ofMaxLength(6),
                Arbitraries.of("", " ", "card ", "№", "; ", "=", "RUB", "карта "));
    }

    @Property
    void noCardNumberSurvivesMasking(
            @ForAll("writtenPans") String written,
            @ForAll("surroundings") String before,
            @ForAll("surroundings") String after) {
        String masked = Pans.mask(before + written + after);

        assertThat(digitsOf(masked)).doesNotContain(digitsOf(written));
        assertThat(Pans.containsPan(masked)).isFalse();
        assertThat(Pans.containsPan(before + written + after)).isTrue();
        assertThat(masked).startsWith(before).endsWith(after);
    }

    @Property
    void maskingKeepsTheFirstSixAndLastFourDigits(@ForAll("pans") String pan) {
        String masked = Pans.mask(pan);

        assertThat(masked).hasSize(pan.length());
        assertThat(masked.substring(0, 6)).isEqualTo(pan.substring(0, 6));
        assertThat(masked.substring(pan.length() - 4)).isEqualTo(pan.substring(pan.length() - 4));
        assertThat(masked.substring(6, pan.length() - 4)).matches("\\*+");
    }

    @Property
    void textWithoutACardNumberIsLeftAsItIs(@ForAll("pans") String pan, @ForAll("surroundings") String around) {
        String notAPan =
                pan.substring(0, pan.length() - 1) + (char) ('0' + (pan.charAt(pan.length() - 1) - '0' + 1) % 10);
        String text = around + notAPan + around;

        assertThat(Pans.mask(text)).isEqualTo(text);
        assertThat(Pans.mask(Pans.mask(around + pan))).isEqualTo(Pans.mask(around + pan));
    }

    /** Digits, separators and a few letters in any order: ids, dates, amounts and card numbers side by side. */
    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.strings()
                .withChars("0123456789012345678901234567890123456789 .-_/a*")
                .ofMaxLength(80);
    }

    @Property
    void maskedTextHoldsNoCardNumberAndMasksToItself(@ForAll("anyText") String text) {
        String masked = Pans.mask(text);

        assertThat(Pans.containsPan(masked)).isFalse();
        assertThat(Pans.mask(masked)).isEqualTo(masked);
        assertThat(Pans.containsPan(text)).isEqualTo(!masked.equals(text));
    }

    static String digitsOf(String text) {
        return text.replaceAll("[^0-9]", "");
    }

    static char checkDigit(String body) {
        List<Integer> digits = new ArrayList<>();
        body.chars().forEach(c -> digits.add(c - '0'));
        int sum = 0;
        boolean twice = true;
        for (int i = digits.size() - 1; i >= 0; i--) {
            int d = digits.get(i);
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return (char) ('0' + (10 - sum % 10) % 10);
    }
}

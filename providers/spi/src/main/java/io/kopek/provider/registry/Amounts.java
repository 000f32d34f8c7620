package io.kopek.provider.registry;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/** Registry money to minor units, exactly: no floating point, and a value with too many decimals is refused. */
public final class Amounts {

    private static final Pattern DECIMAL = Pattern.compile("[+-]?\\d+([.,]\\d+)?");
    private static final Pattern MINOR = Pattern.compile("[+-]?\\d+");

    private Amounts() {}

    /**
     * {@code "1 234,56"} with {@link DecimalMark#COMMA} and 2 fraction digits is 123456. Spaces (also no-break ones)
     * group thousands and are ignored.
     *
     * @throws IllegalArgumentException saying what is wrong with the value
     */
    public static long minor(String text, DecimalMark mark, int fractionDigits) {
        String value = text == null ? "" : text.strip().replaceAll("[\\s\\u00A0\\u202F]", "");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("empty amount");
        }
        boolean shaped = switch (mark) {
            case MINOR -> MINOR.matcher(value).matches();
            case COMMA -> DECIMAL.matcher(value).matches() && value.indexOf('.') < 0;
            case POINT -> DECIMAL.matcher(value).matches() && value.indexOf(',') < 0;
            case EITHER -> DECIMAL.matcher(value).matches();
        };
        if (!shaped) {
            throw new IllegalArgumentException("unparsable amount \"" + text + "\"");
        }
        if (mark == DecimalMark.MINOR) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("amount out of range \"" + text + "\"");
            }
        }
        BigDecimal decimal = new BigDecimal(value.replace(',', '.'));
        if (decimal.scale() > fractionDigits) {
            throw new IllegalArgumentException("amount \"" + text + "\" has more than " + fractionDigits + " decimals");
        }
        try {
            return decimal.movePointRight(fractionDigits).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount out of range \"" + text + "\"");
        }
    }
}

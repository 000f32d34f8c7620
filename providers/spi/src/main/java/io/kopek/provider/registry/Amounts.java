package io.kopek.provider.registry;

/**
 * Registry money to minor units, exactly: no floating point, and a value with too many decimals is refused. A
 * hand-written scan: it runs on every money column of every line.
 */
public final class Amounts {

    private Amounts() {}

    /**
     * {@code "1 234,56"} with {@link DecimalMark#COMMA} and 2 fraction digits is 123456. Spaces (also no-break ones)
     * group thousands and are ignored.
     *
     * @throws IllegalArgumentException saying what is wrong with the value
     */
    public static long minor(String text, DecimalMark mark, int fractionDigits) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty amount");
        }
        int i = 0;
        int length = text.length();
        boolean negative = false;
        long units = 0;
        int digits = 0;
        int fraction = -1; // digits after the decimal mark, -1 before it
        boolean signed = false;
        for (; i < length; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (fraction >= 0) {
                    fraction++;
                }
                digits++;
                if (units > (Long.MAX_VALUE - 9) / 10) {
                    throw new IllegalArgumentException("amount out of range \"" + text + "\"");
                }
                units = units * 10 + (c - '0');
            } else if (c == ' ' || c == '\u00A0' || c == '\u202F' || c == '\t') {
                continue; // thousands, or padding
            } else if ((c == '-' || c == '+') && digits == 0 && !signed) {
                negative = c == '-';
                signed = true;
            } else if ((c == ',' || c == '.') && fraction < 0 && digits > 0 && allowed(c, mark)) {
                fraction = 0;
            } else {
                throw new IllegalArgumentException("unparsable amount \"" + text + "\"");
            }
        }
        if (digits == 0 || fraction == 0) {
            throw new IllegalArgumentException("unparsable amount \"" + text + "\"");
        }
        if (mark == DecimalMark.MINOR) {
            return negative ? -units : units;
        }
        int decimals = Math.max(fraction, 0);
        if (decimals > fractionDigits) {
            throw new IllegalArgumentException("amount \"" + text + "\" has more than " + fractionDigits + " decimals");
        }
        try {
            for (int k = decimals; k < fractionDigits; k++) {
                units = Math.multiplyExact(units, 10);
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount out of range \"" + text + "\"");
        }
        return negative ? -units : units;
    }

    private static boolean allowed(char c, DecimalMark mark) {
        return switch (mark) {
            case COMMA -> c == ',';
            case POINT -> c == '.';
            case EITHER -> true;
            case MINOR -> false;
        };
    }
}

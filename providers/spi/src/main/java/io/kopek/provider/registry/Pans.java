package io.kopek.provider.registry;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Full card numbers (PANs) found where they must not be. A PAN-looking value is 13–19 digits, written together or in
 * groups of four separated by a space or a dash, standing alone (no letter or digit right before or after it: a
 * digit run inside a hex id is not a card number), and passing the Luhn check. It is masked to its first six and
 * last four digits.
 */
public final class Pans {

    private static final Pattern CANDIDATE =
            Pattern.compile("(?<![\\p{Alnum}])(\\d{13,19}|\\d{4}(?:[ -]\\d{4}){3}(?:[ -]?\\d{1,3})?)(?![\\p{Alnum}])");

    private Pans() {}

    /** The text with every PAN in it masked ({@code 4276123456789012} becomes {@code 427612******9012}). */
    public static String mask(String text) {
        if (text == null || text.length() < 13) {
            return text;
        }
        Matcher m = CANDIDATE.matcher(text);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            String digits = m.group(1).replaceAll("[ -]", "");
            if (digits.length() < 13 || digits.length() > 19 || !luhn(digits)) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, last, m.start(1))
                    .append(digits, 0, 6)
                    .append("*".repeat(digits.length() - 10))
                    .append(digits, digits.length() - 4, digits.length());
            last = m.end(1);
        }
        return out == null ? text : out.append(text, last, text.length()).toString();
    }

    /** Whether the text holds a full card number. */
    public static boolean containsPan(String text) {
        return text != null && !text.equals(mask(text));
    }

    static boolean luhn(String digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }
}

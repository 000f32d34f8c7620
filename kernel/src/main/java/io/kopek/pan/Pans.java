package io.kopek.pan;

/**
 * Full card numbers (PANs) found where they must not be. A PAN-looking value is 13–19 digits, written together or in
 * groups of four separated by a space or a dash, standing alone (no letter or digit right before or after it: a
 * digit run inside a hex id is not a card number), and passing the Luhn check. It is masked to its first six and
 * last four digits. A hand-written scan rather than a regular expression: it runs on every field of every line.
 */
public final class Pans {

    private Pans() {}

    /** The text with every PAN in it masked ({@code 4276380012345679} becomes {@code 427638******5679}). */
    public static String mask(String text) {
        if (text == null || fewerDigitsThanAPan(text)) {
            return text; // most fields of most lines: no need to look closer
        }
        StringBuilder out = null;
        int copied = 0;
        int length = text.length();
        int i = 0;
        while (i < length) {
            char c = text.charAt(i);
            if (!isDigit(c) || (i > 0 && Character.isLetterOrDigit(text.charAt(i - 1)))) {
                i++;
                continue;
            }
            // a run of digits, single spaces or dashes allowed between digits
            int end = i;
            int digits = 0;
            boolean separated = false;
            while (end < length) {
                char d = text.charAt(end);
                if (isDigit(d)) {
                    digits++;
                    end++;
                } else if ((d == ' ' || d == '-') && end + 1 < length && isDigit(text.charAt(end + 1))) {
                    separated = true;
                    end++;
                } else {
                    break;
                }
            }
            boolean standsAlone = end == length || !Character.isLetterOrDigit(text.charAt(end));
            if (standsAlone && digits >= 13 && digits <= 19 && (!separated || groupedByFour(text, i, end))) {
                String number = digitsOf(text, i, end, digits);
                if (luhn(number)) {
                    if (out == null) {
                        out = new StringBuilder(length);
                    }
                    out.append(text, copied, i)
                            .append(number, 0, 6)
                            .append("*".repeat(digits - 10))
                            .append(number, digits - 4, digits);
                    copied = end;
                }
            }
            i = Math.max(end, i + 1);
        }
        return out == null ? text : out.append(text, copied, length).toString();
    }

    private static boolean fewerDigitsThanAPan(String text) {
        int digits = 0;
        for (int i = 0, length = text.length(); i < length && digits < 13; i++) {
            if (isDigit(text.charAt(i))) {
                digits++;
            }
        }
        return digits < 13;
    }

    /** Whether the text holds a full card number. */
    public static boolean containsPan(String text) {
        return text != null && !text.equals(mask(text));
    }

    /** {@code dddd-dddd-dddd-dddd} with an optional group of 1–3 at the end, one separator between groups. */
    private static boolean groupedByFour(String text, int from, int to) {
        int group = 0;
        int groups = 0;
        for (int i = from; i < to; i++) {
            if (isDigit(text.charAt(i))) {
                group++;
            } else {
                if (group != 4) {
                    return false;
                }
                groups++;
                group = 0;
            }
        }
        return groups >= 3 && (group == 4 || (groups == 4 && group >= 1 && group <= 3));
    }

    private static String digitsOf(String text, int from, int to, int count) {
        StringBuilder digits = new StringBuilder(count);
        for (int i = from; i < to; i++) {
            if (isDigit(text.charAt(i))) {
                digits.append(text.charAt(i));
            }
        }
        return digits.toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
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

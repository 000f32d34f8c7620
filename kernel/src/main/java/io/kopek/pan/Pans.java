package io.kopek.pan;

import java.util.Arrays;

/**
 * Full card numbers (PANs) found where they must not be. A PAN-looking value is a run of 13–19 digits passing the
 * Luhn check once its separators are removed: spaces (any whitespace, no-break spaces included), dots, dashes,
 * underscores and slashes, alone or in runs ({@code 4276.3800.1234.5679}, {@code 4276  3800 1234 5679},
 * {@code 3782 822463 10005}), and glued to letters or not ({@code card4276380012345679RUB}): a number written by a
 * person or a careless system can take any of these shapes, and one missed is a card number stored or logged.
 *
 * <p>Digits run into groups at the separators; a PAN is a stretch of whole groups (a card number is never split
 * inside a group of digits written together), so a PAN written beside other numbers ({@code 4276 3800 1234 5679 12
 * 2026}) is still found. It is masked to its first six and last four digits, its separators dropped. Digits inside
 * a group of more than 19 are left alone: a long numeric id is not a card number. A hand-written scan rather than a
 * regular expression: it runs on every field of every registry line and every logged answer.
 *
 * <p>A UUID ({@code 2d9f4a12-000f-5000-8000-123456789012}, the shape of YooKassa's and Sber's payment ids) is an id,
 * never a card number, and is left whole: its digit groups joined across the dashes would otherwise look like one
 * about once in a hundred ids, and a masked payment id no longer matches its payment.
 *
 * <p>The database holds the same rule in SQL as the last line of defence (the ingest's {@code ingest_holds_pan});
 * a change here is a change there.
 */
public final class Pans {

    private static final int MIN = 13;
    private static final int MAX = 19;

    private Pans() {}

    private static final java.util.regex.Pattern UUID = java.util.regex.Pattern.compile(
            "(?<![0-9A-Za-z])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Za-z])");

    /** The text with every PAN in it masked ({@code 4276380012345679} becomes {@code 427638******5679}). */
    public static String mask(String text) {
        if (text == null || noStretchLongEnough(text)) {
            return text; // most fields of most lines: no need to look closer
        }
        java.util.regex.Matcher uuid = mayHoldUuid(text) ? UUID.matcher(text) : null;
        if (uuid == null || !uuid.find()) {
            return maskPlain(text);
        }
        // The UUIDs stay whole; the text between them is masked, each piece on its own (a UUID parts digit groups).
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        do {
            out.append(maskPlain(text.substring(from, uuid.start()))).append(uuid.group());
            from = uuid.end();
        } while (uuid.find());
        return out.append(maskPlain(text.substring(from))).toString();
    }

    private static boolean mayHoldUuid(String text) {
        return text.length() >= 36 && text.indexOf('-') >= 0;
    }

    private static String maskPlain(String text) {
        if (noStretchLongEnough(text)) {
            return text;
        }
        String masked = text;
        StringBuilder out = new StringBuilder(text.length());
        // Once more until none is left: the digits kept of a masked number can join the groups next to them into a
        // new one (427638******5679 1234 5678 9), which a later reading of the text would find.
        while (scan(masked, out)) {
            masked = out.toString();
            out.setLength(0);
        }
        return masked;
    }

    /** Whether the text holds a full card number (one {@link #mask} would mask). */
    public static boolean containsPan(String text) {
        if (text == null || noStretchLongEnough(text)) {
            return false;
        }
        String plain = mayHoldUuid(text) ? UUID.matcher(text).replaceAll("x") : text;
        return !noStretchLongEnough(plain) && scan(plain, null);
    }

    /** Whether a character may stand between the digit groups of a card number. */
    public static boolean isSeparator(char c) {
        return switch (c) {
            case ' ', '.', '-', '_', '/', '\t', '\n', '\r', '\f', '\u000B', '\u00A0', '\u2007', '\u202F' -> true;
            default -> false;
        };
    }

    /**
     * Whether {@code text} holds a PAN; with {@code out}, the text with each one masked is written there (without,
     * the scan stops at the first).
     */
    private static boolean scan(String text, StringBuilder out) {
        int length = text.length();
        int copied = 0;
        boolean any = false;
        // the digits of the current run, and where each group starts and ends (in the text and among the digits)
        char[] digits = new char[32];
        int[] groupStart = new int[8];
        int[] groupEnd = new int[8];
        int[] groupDigits = new int[9];
        int i = 0;
        while (i < length) {
            if (!isDigit(text.charAt(i))) {
                i++;
                continue;
            }
            int groups = 0;
            int count = 0;
            int at = i;
            while (true) {
                int start = at;
                while (at < length && isDigit(text.charAt(at))) {
                    at++;
                }
                int n = at - start;
                if (groups == groupStart.length) {
                    groupStart = Arrays.copyOf(groupStart, groups * 2);
                    groupEnd = Arrays.copyOf(groupEnd, groups * 2);
                    groupDigits = Arrays.copyOf(groupDigits, groups * 2 + 1);
                }
                if (count + n > digits.length) {
                    digits = Arrays.copyOf(digits, Math.max(digits.length * 2, count + n));
                }
                text.getChars(start, at, digits, count);
                groupStart[groups] = start;
                groupEnd[groups] = at;
                groupDigits[groups] = count;
                count += n;
                groups++;
                int next = at;
                while (next < length && isSeparator(text.charAt(next))) {
                    next++;
                }
                if (next == at || next == length || !isDigit(text.charAt(next))) {
                    break;
                }
                at = next;
            }
            groupDigits[groups] = count;
            int g = 0;
            while (g < groups) {
                int end = -1;
                // the longest stretch of whole groups from g that is a PAN
                int last = g;
                while (last + 1 < groups && groupDigits[last + 2] - groupDigits[g] <= MAX) {
                    last++;
                }
                for (int h = last; h >= g; h--) {
                    int n = groupDigits[h + 1] - groupDigits[g];
                    if (n >= MIN && n <= MAX && luhn(digits, groupDigits[g], groupDigits[h + 1])) {
                        end = h;
                        break;
                    }
                }
                if (end < 0) {
                    g++;
                    continue;
                }
                any = true;
                if (out == null) {
                    return true;
                }
                int from = groupDigits[g];
                int to = groupDigits[end + 1];
                out.append(text, copied, groupStart[g])
                        .append(digits, from, 6)
                        .repeat('*', to - from - 10)
                        .append(digits, to - 4, 4);
                copied = groupEnd[end];
                g = end + 1;
            }
            i = at;
        }
        if (any) {
            out.append(text, copied, length);
        }
        return any;
    }

    /**
     * Whether no stretch of the text made of digits and separators holds as many digits as the shortest PAN: a PAN
     * is whole groups of one such stretch ({@link #scan}), so the text holds none. One pass, nothing allocated. A
     * count of all the text's digits let every registry line's operation time through to the scan
     * ({@code 24.11.2026 12:34:56} has 14 digits, but the colons part them): a sixth of the import's CPU in Java
     * (JFR, 2026-12-05).
     */
    private static boolean noStretchLongEnough(String text) {
        int digits = 0;
        for (int i = 0, length = text.length(); i < length; i++) {
            char c = text.charAt(i);
            if (isDigit(c)) {
                if (++digits >= MIN) {
                    return false;
                }
            } else if (!isSeparator(c)) {
                digits = 0;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean luhn(char[] digits, int from, int to) {
        int sum = 0;
        boolean twice = false;
        for (int i = to - 1; i >= from; i--) {
            int d = digits[i] - '0';
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

    static boolean luhn(String digits) {
        return luhn(digits.toCharArray(), 0, digits.length());
    }
}

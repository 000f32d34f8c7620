package io.kopek.provider;

import java.util.regex.Pattern;

/**
 * The shapes of a provider's payment id, checked before an id from outside (a callback) goes into a request: an id
 * that names a path ({@code ../refunds}) or a whole address must never reach the provider's, or anyone's, URL.
 */
public final class PaymentIds {

    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** Letters, digits, '.', '_' and '-', starting with a letter or digit (so never "." or ".."), at most 128. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private PaymentIds() {}

    /** A UUID in its usual 8-4-4-4-12 hex form: YooKassa's payment ids, Sber's order ids ({@code mdOrder}). */
    public static boolean isUuid(String id) {
        return id != null && UUID.matcher(id).matches();
    }

    /** What any provider's id may be: safe as a URL path segment without escaping. */
    public static boolean isSafe(String id) {
        return id != null && SAFE.matcher(id).matches();
    }
}

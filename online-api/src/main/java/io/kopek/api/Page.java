package io.kopek.api;

import java.util.List;
import java.util.function.ToLongFunction;

/** A page of a list: pass {@code next_cursor} back as {@code cursor} for the next one; null at the end. */
public record Page<T>(List<T> data, String nextCursor) {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    /** Reads one page: {@code fetch} gets the id after which to start and how many to return. */
    public static <T> Page<T> read(String cursor, Integer limit, Fetch<T> fetch, ToLongFunction<T> id) {
        int n = limit(limit);
        return of(fetch.after(after(cursor), n), n, id);
    }

    @FunctionalInterface
    public interface Fetch<T> {
        List<T> after(long afterId, int limit);
    }

    public static <T> Page<T> of(List<T> items, int limit, ToLongFunction<T> id) {
        String next = items.size() == limit && !items.isEmpty() ? Long.toString(id.applyAsLong(items.getLast())) : null;
        return new Page<>(items, next);
    }

    private static long after(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw io.kopek.errors.KopekException.invalid(
                    "invalid-cursor", "cursor " + cursor + " was not issued by this API");
        }
    }

    static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw io.kopek.errors.KopekException.invalid("invalid-limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        return limit;
    }
}

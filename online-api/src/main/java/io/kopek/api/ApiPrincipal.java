package io.kopek.api;

/**
 * Who calls the API: an API key, or a person signed in to the console (a staff user, by the session cookie). Both
 * meet the same role matrix. {@code id} is the key's or the user's; {@code customerId} is set exactly for customer
 * keys; {@code name} is the key's name or the user's login.
 */
public record ApiPrincipal(Kind kind, long id, ApiRole role, Long customerId, String name) {

    public enum Kind {
        API_KEY,
        USER
    }

    public ApiPrincipal {
        if (kind == Kind.USER && (role == ApiRole.CUSTOMER || customerId != null)) {
            throw new IllegalArgumentException("users are staff: no customer role, no customer");
        }
    }

    /** An API key's caller. */
    public ApiPrincipal(long keyId, ApiRole role, Long customerId, String name) {
        this(Kind.API_KEY, keyId, role, customerId, name);
    }

    /** A staff user signed in with a session. */
    public static ApiPrincipal user(long userId, ApiRole role, String login) {
        return new ApiPrincipal(Kind.USER, userId, role, null, login);
    }

    public boolean isCustomer() {
        return role == ApiRole.CUSTOMER;
    }

    public boolean isUser() {
        return kind == Kind.USER;
    }

    /**
     * Whose {@code Idempotency-Key}s these are, for operations keyed by the caller and its key: {@code <key id>} for
     * an API key (as before users could sign in), {@code user:<user id>} for a user, so that a user's keys never meet
     * an API key's or another user's.
     */
    public String idempotencyScope() {
        return (kind == Kind.USER ? "user:" : "") + id;
    }

    /** The API key's id. A user has none: asking is a bug (use {@link #idempotencyScope()} or {@link #actor()}). */
    public long keyId() {
        if (kind != Kind.API_KEY) {
            throw new IllegalStateException("a user has no API key; use id() with kind()");
        }
        return id;
    }

    /** Who did something, as audit logs write it: {@code key:<name>} or {@code user:<login>}. */
    public String actor() {
        return (kind == Kind.USER ? "user:" : "key:") + name;
    }
}

package io.kopek.api;

import io.kopek.errors.KopekException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Staff passwords: hashed with Argon2id behind a {@code {argon2}} prefix ({@link DelegatingPasswordEncoder}), so a
 * later, stronger hash can be introduced and old hashes upgraded at the next sign-in without a migration; and the
 * policy a new password must meet.
 */
final class Passwords {

    static final int MIN_LENGTH = 12;

    /** Argon2 takes any length; a cap keeps one request from costing more than a hash of a sentence. */
    static final int MAX_LENGTH = 200;

    private static final String ARGON2 = "argon2";

    /**
     * OWASP's recommended minimum for Argon2id (m = 19 MiB, t = 2, p = 1; 16-byte salt, 32-byte hash). BouncyCastle's
     * Java Argon2 took 250 ms a check on a 2-core machine under a load of 13 (6 times oversubscribed), so tens of
     * milliseconds on an idle core: slow for guessing offline, fast enough for a sign-in.
     */
    private static final PasswordEncoder ENCODER = new DelegatingPasswordEncoder(
            ARGON2,
            Map.of(
                    ARGON2,
                    new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2),
                    // accepted for hashes imported from elsewhere; upgraded to Argon2id at the next sign-in
                    "bcrypt",
                    new BCryptPasswordEncoder(12)));

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Hashes at once, at most: each takes 19 MiB and a core for its time, so a flood of sign-ins (unknown logins
     * cost one too) queues here instead of exhausting the heap.
     */
    private static final Semaphore HASHING =
            new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()), true);

    /**
     * A hash of a random password, checked against when the login is unknown: the answer then takes as long as for
     * a wrong password, so timing does not tell which logins exist.
     */
    private static final String DUMMY = ENCODER.encode(generate());

    private Passwords() {}

    static String hash(String password) {
        return bounded(() -> ENCODER.encode(password));
    }

    static boolean matches(String password, String hash) {
        return password != null && bounded(() -> ENCODER.matches(password, hash));
    }

    /** As long as checking a real password, and always false. */
    static void matchNothing(String password) {
        bounded(() -> ENCODER.matches(password == null ? "" : password, DUMMY));
    }

    private static <T> T bounded(Supplier<T> hashing) {
        HASHING.acquireUninterruptibly();
        try {
            return hashing.get();
        } finally {
            HASHING.release();
        }
    }

    static boolean needsUpgrade(String hash) {
        return ENCODER.upgradeEncoding(hash);
    }

    /** The policy: 12 to 200 characters, not the login (in any case). A 422 {@code weak-password} otherwise. */
    static void requireAcceptable(String password, String login) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
            throw KopekException.invalid("weak-password", "a password needs at least " + MIN_LENGTH + " characters");
        }
        if (password.length() > MAX_LENGTH) {
            throw KopekException.invalid("weak-password", "a password may have at most " + MAX_LENGTH + " characters");
        }
        if (login != null && password.strip().toLowerCase(Locale.ROOT).equals(login.toLowerCase(Locale.ROOT))) {
            throw KopekException.invalid("weak-password", "a password may not be the login");
        }
    }

    /** A random password of 20 URL-safe characters (120 bits), for the demo's users. */
    static String generate() {
        byte[] bytes = new byte[15];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

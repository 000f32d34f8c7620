package io.kopek.api;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kopek.security.*} for people who sign in (API keys need none of it).
 *
 * @param bootstrapAdminUser login of an admin user created at start-up when missing, so a fresh installation can
 *     create the others; empty: none
 * @param bootstrapAdminPassword that user's first password (met the password policy); never in a file in a repository
 * @param session how long a session lasts and how its cookie is sent
 * @param lockout when wrong passwords lock a user out
 */
@ConfigurationProperties("kopek.security")
record StaffSecurityProperties(
        @DefaultValue("") String bootstrapAdminUser,
        @DefaultValue("") String bootstrapAdminPassword,
        @DefaultValue Session session,
        @DefaultValue Lockout lockout) {

    /**
     * @param idleTimeout a session unused this long ends (sliding: each use moves it on)
     * @param absoluteTimeout a session ends this long after sign-in, however active
     * @param secureCookie the cookie only over HTTPS; false only for plain-HTTP set-ups on loopback (demo, tests)
     */
    record Session(
            @DefaultValue("30m") Duration idleTimeout,
            @DefaultValue("12h") Duration absoluteTimeout,
            @DefaultValue("true") boolean secureCookie) {}

    /**
     * @param maxFailures wrong passwords in a row that lock a user out
     * @param duration how long the lock-out lasts
     */
    record Lockout(
            @DefaultValue("5") int maxFailures,
            @DefaultValue("15m") Duration duration) {}
}

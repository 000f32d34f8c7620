package io.kopek.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Staff users' sessions, in the database so that every instance behind a proxy knows them. The cookie carries a
 * 256-bit random id; the table keeps its SHA-256 (like an API key's secret, too random for a slow hash to add
 * anything), with the session's CSRF token. A session ends after {@code idle-timeout} without use or
 * {@code absolute-timeout} after sign-in, at sign-out, and when its user is disabled or given a new password.
 */
@Service
class StaffSessions {

    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9_-]{43}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A session's last use is written at most this often: a write per request would cost the console's every read a
     * round trip; the idle timeout is then up to this much longer.
     */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final StaffSecurityProperties.Session settings;

    StaffSessions(JdbcClient jdbc, Clock clock, StaffSecurityProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = properties.session();
    }

    /** A new session: its id (for the cookie, never kept) and its CSRF token. */
    record Opened(String id, String csrfToken) {}

    /** A live session with its user. */
    record Current(byte[] idHash, String csrfToken, ApiPrincipal principal, String displayName) {}

    Opened open(long userId) {
        Instant now = clock.instant();
        // Sessions are few (staff), and sign-ins frequent enough to sweep the ended ones away.
        jdbc.sql("delete from staff_session where expires_at <= ? or last_seen_at <= ?")
                .params(Timestamp.from(now), Timestamp.from(now.minus(settings.idleTimeout())))
                .update();
        String id = random();
        String csrf = random();
        jdbc.sql("insert into staff_session (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at)"
                        + " values (?, ?, ?, ?, ?, ?)")
                .params(
                        hash(id),
                        userId,
                        csrf,
                        Timestamp.from(now),
                        Timestamp.from(now),
                        Timestamp.from(now.plus(settings.absoluteTimeout())))
                .update();
        return new Opened(id, csrf);
    }

    /** The session a cookie names, if it is live and its user enabled; its last use moves on. */
    Optional<Current> current(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        byte[] idHash = hash(id);
        Instant now = clock.instant();
        Optional<Row> found = jdbc.sql("select s.csrf_token, s.last_seen_at, s.expires_at, u.id, u.login,"
                        + " u.display_name, u.role, u.disabled"
                        + " from staff_session s join staff_user u on u.id = s.user_id where s.id_hash = ?")
                .param(idHash)
                .query((rs, n) -> new Row(
                        rs.getTimestamp("last_seen_at").toInstant(),
                        rs.getTimestamp("expires_at").toInstant(),
                        rs.getBoolean("disabled"),
                        new Current(
                                idHash,
                                rs.getString("csrf_token"),
                                ApiPrincipal.user(
                                        rs.getLong("id"), ApiRole.of(rs.getString("role")), rs.getString("login")),
                                rs.getString("display_name"))))
                .optional();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Row row = found.get();
        if (!now.isBefore(row.expiresAt())
                || !now.isBefore(row.lastSeenAt().plus(settings.idleTimeout()))
                || row.disabled()) {
            end(idHash);
            return Optional.empty();
        }
        if (!now.isBefore(row.lastSeenAt().plus(TOUCH_EVERY))) {
            jdbc.sql("update staff_session set last_seen_at = ? where id_hash = ?")
                    .params(Timestamp.from(now), idHash)
                    .update();
        }
        return Optional.of(row.current());
    }

    private record Row(Instant lastSeenAt, Instant expiresAt, boolean disabled, Current current) {}

    void end(byte[] idHash) {
        jdbc.sql("delete from staff_session where id_hash = ?").param(idHash).update();
    }

    void endAll(long userId) {
        jdbc.sql("delete from staff_session where user_id = ?").param(userId).update();
    }

    void endAllBut(long userId, byte[] keep) {
        jdbc.sql("delete from staff_session where user_id = ? and id_hash <> ?")
                .params(userId, keep == null ? new byte[0] : keep)
                .update();
    }

    /** A CSRF token as sent back, against the session's: in constant time. */
    static boolean sameToken(String presented, String expected) {
        return presented != null
                && MessageDigest.isEqual(
                        presented.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] hash(String id) {
        return Sha256.digest().digest(id.getBytes(StandardCharsets.US_ASCII));
    }
}

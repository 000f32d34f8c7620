package io.kopek.api;

import io.kopek.errors.KopekException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The people who sign in to the console: staff users with a role (accountant, finance, operator, admin), a password
 * kept as an Argon2id hash ({@link Passwords}), and a lock-out after {@code kopek.security.lockout.max-failures}
 * wrong passwords in a row for {@code kopek.security.lockout.duration}. Disabling a user, or setting a password for
 * them, ends their sessions.
 */
@Service
public class StaffUsers {

    /** Letters, digits and {@code . _ - @}: a login shows in audit logs as {@code user:<login>}. */
    private static final Pattern LOGIN = Pattern.compile("^[\\p{L}\\p{N}._@-]{1,64}$");

    private static final String COLUMNS =
            "id, login, display_name, role, locked_until, disabled, created_at, last_sign_in_at";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final StaffSecurityProperties.Lockout lockout;
    private final StaffSessions sessions;
    /** A wrong password counts even when the request it came with is rolled back (its Idempotency-Key's). */
    private final TransactionTemplate ownTransaction;

    StaffUsers(
            JdbcClient jdbc,
            Clock clock,
            StaffSecurityProperties properties,
            StaffSessions sessions,
            PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
        this.lockout = properties.lockout();
        this.sessions = sessions;
    }

    /** What a sign-in came to. */
    sealed interface SignIn {
        record Accepted(StaffUser user) implements SignIn {}

        /** Unknown login, wrong password or a disabled user: told apart to no one. */
        record Refused() implements SignIn {}

        record Locked(Instant until) implements SignIn {}
    }

    private record Credentials(long id, String login, String hash, Instant lockedUntil, boolean disabled) {}

    /**
     * Checks a login and password. An unknown login costs a hash all the same. A locked-out user is refused
     * whatever the password, until the lock-out ends; the failure that reaches the limit locks. A success resets
     * the count, and upgrades an old hash.
     */
    SignIn signIn(String login, String password) {
        Optional<Credentials> found = login == null ? Optional.empty() : credentials("lower(login) = lower(?)", login);
        if (found.isEmpty()) {
            Passwords.matchNothing(password);
            return new SignIn.Refused();
        }
        Credentials user = found.get();
        Instant now = clock.instant();
        if (lockedAt(user.lockedUntil(), now)) {
            return new SignIn.Locked(user.lockedUntil());
        }
        boolean right = Passwords.matches(password, user.hash());
        if (user.disabled()) {
            return new SignIn.Refused();
        }
        if (!right) {
            return failed(user.id(), now).<SignIn>map(SignIn.Locked::new).orElseGet(SignIn.Refused::new);
        }
        // Only if no lock-out began meanwhile (a concurrent guess reaching the limit).
        int updated = jdbc.sql("update staff_user set failed_attempts = 0, locked_until = null, last_sign_in_at = ?"
                        + " where id = ? and not disabled and (locked_until is null or locked_until <= ?)")
                .params(Timestamp.from(now), user.id(), Timestamp.from(now))
                .update();
        if (updated == 0) {
            return credentials("id = ?", user.id())
                    .filter(c -> lockedAt(c.lockedUntil(), now))
                    .<SignIn>map(c -> new SignIn.Locked(c.lockedUntil()))
                    .orElseGet(SignIn.Refused::new);
        }
        if (Passwords.needsUpgrade(user.hash())) {
            jdbc.sql("update staff_user set password_hash = ? where id = ?")
                    .params(Passwords.hash(password), user.id())
                    .update();
        }
        return new SignIn.Accepted(find(user.id()));
    }

    /**
     * One more wrong password: the one that reaches the limit locks the user (and starts the count again for after
     * the lock-out). The end of the lock-out when it locked.
     */
    private Optional<Instant> failed(long id, Instant now) {
        // as PostgreSQL keeps it, to recognise it in what the update returns
        Instant until = now.plus(lockout.duration()).truncatedTo(ChronoUnit.MICROS);
        return ownTransaction.execute(tx -> jdbc.sql("update staff_user set"
                        + " failed_attempts = case when failed_attempts + 1 >= ? then 0 else failed_attempts + 1 end,"
                        + " locked_until = case when failed_attempts + 1 >= ? then ? else locked_until end"
                        + " where id = ? returning locked_until")
                .params(lockout.maxFailures(), lockout.maxFailures(), Timestamp.from(until), id)
                .query((rs, n) -> rs.getTimestamp(1))
                .optional()
                .filter(t -> t.toInstant().equals(until))
                .map(Timestamp::toInstant));
    }

    /** A user's own new password, given the current one; their other sessions end. */
    @Transactional
    void changeOwn(long id, String current, String password, byte[] keepSession) {
        Credentials user = credentials("id = ?", id).orElseThrow(() -> KopekException.notFound("user", id));
        Instant now = clock.instant();
        if (!Passwords.matches(current, user.hash())) {
            // a guess like any other: counted towards the lock-out
            Optional<Instant> locked = failed(id, now);
            throw KopekException.invalid(
                    "wrong-password",
                    locked.map(t -> "the current password is wrong; signing in is locked until " + t)
                            .orElse("the current password is wrong"));
        }
        Passwords.requireAcceptable(password, user.login());
        setPassword(id, password, now);
        sessions.endAllBut(id, keepSession);
    }

    @Transactional
    StaffUser create(String login, String displayName, ApiRole role, String password) {
        requireLogin(login);
        requireStaff(role);
        Passwords.requireAcceptable(password, login);
        if (displayName == null || displayName.isBlank() || displayName.length() > 200) {
            throw KopekException.invalid("invalid-display-name", "a display name has 1 to 200 characters");
        }
        Instant now = clock.instant();
        try {
            long id = jdbc.sql("insert into staff_user (login, display_name, role, password_hash, created_at,"
                            + " password_changed_at) values (?, ?, ?, ?, ?, ?) returning id")
                    .params(
                            login,
                            displayName.strip(),
                            role.code(),
                            Passwords.hash(password),
                            Timestamp.from(now),
                            Timestamp.from(now))
                    .query(Long.class)
                    .single();
            return find(id);
        } catch (DuplicateKeyException e) {
            throw KopekException.conflict("login-taken", "there is a user with the login " + login + " already");
        }
    }

    /** An admin sets a user's password: the lock-out ends, and so do the user's sessions. */
    @Transactional
    StaffUser resetPassword(long id, String password) {
        StaffUser user = find(id);
        Passwords.requireAcceptable(password, user.login());
        setPassword(id, password, clock.instant());
        sessions.endAll(id);
        return find(id);
    }

    /** A disabled user cannot sign in, and their sessions end now. */
    @Transactional
    StaffUser disable(long id) {
        find(id);
        jdbc.sql("update staff_user set disabled = true where id = ?").param(id).update();
        sessions.endAll(id);
        return find(id);
    }

    @Transactional
    StaffUser enable(long id) {
        find(id);
        jdbc.sql("update staff_user set disabled = false where id = ?")
                .param(id)
                .update();
        return find(id);
    }

    @Transactional(readOnly = true)
    List<StaffUser> list(long afterId, int limit) {
        return jdbc
                .sql("select " + COLUMNS + " from staff_user where id > ? order by id limit ?")
                .params(afterId, limit)
                .query()
                .listOfRows()
                .stream()
                .map(this::user)
                .toList();
    }

    @Transactional(readOnly = true)
    StaffUser find(long id) {
        return jdbc.sql("select " + COLUMNS + " from staff_user where id = ?").param(id).query().listOfRows().stream()
                .findFirst()
                .map(this::user)
                .orElseThrow(() -> KopekException.notFound("user", id));
    }

    /** Creates the user when the login is not taken; an existing user is left as it is (the bootstrap admin). */
    @Transactional
    public void ensure(String login, String displayName, ApiRole role, String password) {
        if (credentials("lower(login) = lower(?)", login).isEmpty()) {
            create(login, displayName, role, password);
        }
    }

    /**
     * The user with this login and role, with this password, enabled and not locked out: created, or reset if it
     * exists (the demo's users, whose passwords are new at each start).
     */
    @Transactional
    public StaffUser createOrReset(String login, String displayName, ApiRole role, String password) {
        Optional<Credentials> existing = credentials("lower(login) = lower(?)", login);
        if (existing.isEmpty()) {
            return create(login, displayName, role, password);
        }
        long id = existing.get().id();
        requireStaff(role);
        jdbc.sql("update staff_user set display_name = ?, role = ?, disabled = false where id = ?")
                .params(displayName, role.code(), id)
                .update();
        return resetPassword(id, password);
    }

    private void setPassword(long id, String password, Instant now) {
        jdbc.sql("update staff_user set password_hash = ?, password_changed_at = ?, failed_attempts = 0,"
                        + " locked_until = null where id = ?")
                .params(Passwords.hash(password), Timestamp.from(now), id)
                .update();
    }

    private Optional<Credentials> credentials(String where, Object value) {
        return jdbc.sql("select id, login, password_hash, locked_until, disabled from staff_user where " + where)
                .param(value)
                .query((rs, n) -> new Credentials(
                        rs.getLong("id"),
                        rs.getString("login"),
                        rs.getString("password_hash"),
                        rs.getTimestamp("locked_until") == null
                                ? null
                                : rs.getTimestamp("locked_until").toInstant(),
                        rs.getBoolean("disabled")))
                .optional();
    }

    private StaffUser user(Map<String, Object> row) {
        Instant lockedUntil = instant(row.get("locked_until"));
        return new StaffUser(
                ((Number) row.get("id")).longValue(),
                (String) row.get("login"),
                (String) row.get("display_name"),
                ApiRole.of((String) row.get("role")),
                lockedAt(lockedUntil, clock.instant()) ? lockedUntil : null,
                (Boolean) row.get("disabled"),
                instant(row.get("created_at")),
                instant(row.get("last_sign_in_at")));
    }

    private static boolean lockedAt(Instant lockedUntil, Instant now) {
        return lockedUntil != null && now.isBefore(lockedUntil);
    }

    private static Instant instant(Object value) {
        return value == null ? null : ((Timestamp) value).toInstant();
    }

    private static void requireLogin(String login) {
        if (login == null || !LOGIN.matcher(login).matches()) {
            throw KopekException.invalid(
                    "invalid-login", "a login has 1 to 64 letters, digits, dots, underscores, dashes or @");
        }
    }

    private static void requireStaff(ApiRole role) {
        if (role == null || role == ApiRole.CUSTOMER) {
            throw KopekException.invalid(
                    "invalid-role",
                    "a user is an accountant, finance, an operator or an admin; customers use API keys");
        }
    }
}

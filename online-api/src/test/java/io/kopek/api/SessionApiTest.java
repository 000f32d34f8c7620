package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Signing in to the console, the session it opens, CSRF, lock-out, and what ends a session. */
class SessionApiTest extends StaffApiTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void signingInOpensASessionWhoseCookieScriptsCannotReadNorOtherSitesSend() {
        StaffUser operator = user(ApiRole.OPERATOR);

        var answer = signIn(operator.login().toUpperCase(java.util.Locale.ROOT), PASSWORD);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.body().path("login").asString()).isEqualTo(operator.login());
        assertThat(answer.body().path("display_name").asString()).isEqualTo("Test operator");
        assertThat(answer.body().path("role").asString()).isEqualTo("operator");
        assertThat(answer.body().path("user_id").asLong()).isEqualTo(operator.id());
        assertThat(answer.body().path("csrf_token").asString()).hasSizeGreaterThanOrEqualTo(43);
        String cookie = answer.raw().headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie)
                .startsWith("kopek_session=")
                .contains("; Path=/", "; HttpOnly", "; SameSite=Strict")
                // the tests speak plain HTTP (kopek.security.session.secure-cookie=false)
                .doesNotContain("Secure");
    }

    @Test
    void theSessionAnswersWhoIsSignedInWithTheSameCsrfToken() {
        StaffUser accountant = user(ApiRole.ACCOUNTANT);
        Session session = session(accountant);

        var current = cookieOnly(session).get("/api/v1/session");

        assertThat(current.status()).as(current.toString()).isEqualTo(200);
        assertThat(current.body().path("login").asString()).isEqualTo(accountant.login());
        assertThat(current.body().path("role").asString()).isEqualTo("accountant");
        assertThat(current.body().path("csrf_token").asString()).isEqualTo(session.csrfToken());
        assertThat(anonymous().get("/api/v1/session").status()).isEqualTo(401);
    }

    @Test
    void aSignedInUserMeetsTheRoleMatrixOfTheirRole() {
        ApiClient operator = as(session(user(ApiRole.OPERATOR)));
        ApiClient accountant = as(session(user(ApiRole.ACCOUNTANT)));

        // operator: the event log and the reports catalogue, not the ledger nor the receipts
        assertThat(operator.get("/api/v1/events?limit=1").status()).isEqualTo(200);
        assertThat(operator.get("/api/v1/reports").status()).isEqualTo(200);
        var ledger = operator.get("/api/v1/ledger/accounts/bank:RUB");
        assertThat(ledger.status()).isEqualTo(403);
        assertThat(ledger.problemType()).isEqualTo("forbidden");
        assertThat(operator.get("/api/v1/receipts").status()).isEqualTo(403);
        assertThat(operator.post("/api/v1/customers", "{}").status()).isEqualTo(403);
        // accountant: customers yes, the event log no
        assertThat(accountant.get("/api/v1/customers?limit=1").status()).isEqualTo(200);
        assertThat(accountant.get("/api/v1/events").status()).isEqualTo(403);
        var created = accountant.post(
                "/api/v1/customers", "{\"type\":\"individual\",\"name\":\"Ivan\",\"email\":\"ivan@example.ru\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    @Test
    void aChangeWithTheCookieButWithoutTheCsrfTokenIsRefused() {
        Session session = session(user(ApiRole.ACCOUNTANT));
        String customer = "{\"type\":\"individual\",\"name\":\"Ivan\",\"email\":\"ivan@example.ru\"}";

        var without = cookieOnly(session).post("/api/v1/customers", customer);
        var wrong = cookieOnly(session)
                .with(ApiSecurity.CSRF_HEADER, session.csrfToken().substring(1) + "x")
                .post("/api/v1/customers", customer);
        var with = as(session).post("/api/v1/customers", customer);

        assertThat(without.status()).isEqualTo(403);
        assertThat(without.problemType()).isEqualTo("csrf");
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.problemType()).isEqualTo("csrf");
        assertThat(with.status()).as(with.toString()).isEqualTo(201);
        // reads need no token; API keys need none for changes either
        assertThat(cookieOnly(session).get("/api/v1/customers/" + with.id()).status())
                .isEqualTo(200);
        assertThat(accountant.post("/api/v1/customers", customer).status()).isEqualTo(201);
    }

    @Test
    void signingOutEndsTheSessionAndClearsTheCookie() {
        Session session = session(user(ApiRole.FINANCE));

        var out = as(session).post("/api/v1/session/logout", "{}");

        assertThat(out.status()).as(out.toString()).isEqualTo(204);
        assertThat(out.raw().headers().firstValue("Set-Cookie").orElseThrow())
                .startsWith("kopek_session=;")
                .contains("Max-Age=0");
        var after = cookieOnly(session).get("/api/v1/session");
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.problemType()).isEqualTo("unauthenticated");
        assertThat(as(session).get("/api/v1/events").status()).isEqualTo(401);
    }

    @Test
    void anUnknownLoginAndAWrongPasswordGetTheSameAnswerInAboutTheSameTime() {
        StaffUser admin = user(ApiRole.ADMIN);

        var unknown = signIn("nobody-" + admin.login(), PASSWORD);
        var wrong = signIn(admin.login(), PASSWORD + "!");

        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(unknown.problemType()).isEqualTo("invalid-credentials");
        assertThat(unknown.raw().body()).isEqualTo(wrong.raw().body());
        // an unknown login costs a hash too: without it, it would answer in a fraction of a millisecond
        List<StaffUser> others = List.of(
                user(ApiRole.ADMIN),
                user(ApiRole.ADMIN),
                user(ApiRole.ADMIN),
                user(ApiRole.ADMIN),
                user(ApiRole.ADMIN));
        var next = others.iterator();
        Duration wrongOnes = median(() -> signIn(next.next().login(), PASSWORD + "?"));
        Duration unknownOnes = median(() -> signIn("nobody-" + admin.login(), PASSWORD));
        assertThat(unknownOnes).isGreaterThan(wrongOnes.dividedBy(4));
    }

    @Test
    void fiveWrongPasswordsLockTheUserOutUntilTheLockOutEnds() {
        StaffUser operator = user(ApiRole.OPERATOR);
        for (int i = 0; i < 4; i++) {
            assertThat(signIn(operator.login(), "wrong password " + i).status()).isEqualTo(401);
        }

        var fifth = signIn(operator.login(), "wrong password 5");
        var rightButLocked = signIn(operator.login(), PASSWORD);

        assertThat(fifth.status()).as(fifth.toString()).isEqualTo(423);
        assertThat(fifth.problemType()).isEqualTo("account-locked");
        Instant until = Instant.parse(fifth.body().path("locked_until").asString());
        assertThat(until)
                .isBetween(
                        clock.instant().plus(Duration.ofMinutes(14)),
                        clock.instant().plus(Duration.ofMinutes(16)));
        assertThat(fifth.raw().headers().firstValue("Retry-After")).isPresent();
        assertThat(rightButLocked.status()).isEqualTo(423);
        assertThat(admin.get("/api/v1/users/" + operator.id())
                        .body()
                        .path("locked_until")
                        .asString())
                .isEqualTo(fifth.body().path("locked_until").asString());

        clock.set(until.plusSeconds(1));

        assertThat(signIn(operator.login(), PASSWORD).status()).isEqualTo(200);
        // the success reset the count: four more wrong ones do not lock
        for (int i = 0; i < 4; i++) {
            assertThat(signIn(operator.login(), "wrong again " + i).status()).isEqualTo(401);
        }
        assertThat(signIn(operator.login(), PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void aDisabledUserIsSignedOutAndCannotSignIn() {
        StaffUser accountant = user(ApiRole.ACCOUNTANT);
        Session session = session(accountant);

        var disabled = admin.post("/api/v1/users/" + accountant.id() + "/disable", "{}");

        assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);
        assertThat(disabled.body().path("disabled").asBoolean()).isTrue();
        assertThat(cookieOnly(session).get("/api/v1/session").status()).isEqualTo(401);
        assertThat(signIn(accountant.login(), PASSWORD).problemType()).isEqualTo("invalid-credentials");
        assertThat(admin.post("/api/v1/users/" + accountant.id() + "/enable", "{}")
                        .status())
                .isEqualTo(200);
        assertThat(signIn(accountant.login(), PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void aSessionEndsWhenIdleAndAtItsAbsoluteEndHoweverActive() {
        Session idle = session(user(ApiRole.OPERATOR));
        Session busy = session(user(ApiRole.OPERATOR));

        clock.advance(Duration.ofMinutes(20));
        assertThat(cookieOnly(busy).get("/api/v1/session").status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(11));

        assertThat(cookieOnly(idle).get("/api/v1/session").status()).isEqualTo(401);
        assertThat(cookieOnly(busy).get("/api/v1/session").status()).isEqualTo(200);
        for (Duration lived = Duration.ofMinutes(31); lived.compareTo(Duration.ofHours(12)) < 0; ) {
            clock.advance(Duration.ofMinutes(25));
            lived = lived.plusMinutes(25);
            assertThat(cookieOnly(busy).get("/api/v1/session").status())
                    .as("after %s", lived)
                    .isEqualTo(lived.compareTo(Duration.ofHours(12)) < 0 ? 200 : 401);
        }
    }

    @Test
    void changingOnesPasswordNeedsTheCurrentOneAndEndsTheOtherSessions() {
        StaffUser finance = user(ApiRole.FINANCE);
        Session here = session(finance);
        Session elsewhere = session(finance);
        String newPassword = "a much longer new password";

        var wrong = as(here).post(
                        "/api/v1/session/password",
                        "{\"current_password\":\"not it at all\",\"new_password\":\"" + newPassword + "\"}");
        // the guess counts towards a lock-out, though its request was rolled back
        assertThat(jdbc.sql("select failed_attempts from staff_user where id = ?")
                        .param(finance.id())
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        var weak = as(here).post(
                        "/api/v1/session/password",
                        "{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"short\"}");
        var changed = as(here).post(
                        "/api/v1/session/password",
                        "{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"" + newPassword + "\"}");

        assertThat(wrong.status()).isEqualTo(422);
        assertThat(wrong.problemType()).isEqualTo("wrong-password");
        assertThat(weak.status()).isEqualTo(422);
        assertThat(weak.problemType()).isEqualTo("weak-password");
        assertThat(changed.status()).as(changed.toString()).isEqualTo(204);
        assertThat(cookieOnly(here).get("/api/v1/session").status()).isEqualTo(200);
        assertThat(cookieOnly(elsewhere).get("/api/v1/session").status()).isEqualTo(401);
        assertThat(signIn(finance.login(), PASSWORD).status()).isEqualTo(401);
        assertThat(signIn(finance.login(), newPassword).status()).isEqualTo(200);
    }

    @Test
    void theTableKeepsOnlyAHashOfTheSessionId() throws Exception {
        Session session = session(user(ApiRole.OPERATOR));

        byte[] sha256 = java.security.MessageDigest.getInstance("SHA-256")
                .digest(session.cookie().getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        assertThat(jdbc.sql("select count(*) from staff_session where id_hash = ?")
                        .param(sha256)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from staff_session")
                        .query(Long.class)
                        .single())
                .isEqualTo(jdbc.sql("select count(*) from staff_session where length(id_hash) = 32")
                        .query(Long.class)
                        .single());
    }

    @Test
    void theBootstrapAdminFromConfigurationCanSignIn() {
        var answer = signIn("first-admin", "bootstrap-password-of-the-tests");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.body().path("role").asString()).isEqualTo("admin");
    }

    @Test
    void anAuditNameIsTheUsersLoginAndItsIdempotencyKeysAreItsOwn() {
        assertThat(ApiPrincipal.user(3, ApiRole.OPERATOR, "maria").actor()).isEqualTo("user:maria");
        assertThat(new ApiPrincipal(3, ApiRole.OPERATOR, null, "night shift").actor())
                .isEqualTo("key:night shift");
        // a user's idempotency keys and a key's with the same id are apart
        assertThat(ApiPrincipal.user(3, ApiRole.OPERATOR, "maria").idempotencyScope())
                .isNotEqualTo(new ApiPrincipal(3, ApiRole.OPERATOR, null, "night shift").idempotencyScope());
    }

    private static Duration median(java.util.function.Supplier<ApiClient.Response> request) {
        List<Duration> times = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            request.get();
            times.add(Duration.ofNanos(System.nanoTime() - start));
        }
        times.sort(null);
        return times.get(2);
    }
}

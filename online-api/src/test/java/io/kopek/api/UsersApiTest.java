package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.customer.CustomerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Admins manage the console's users; nobody else may, and no password is kept or answered in clear. */
class UsersApiTest extends StaffApiTest {

    @Autowired
    JdbcClient jdbc;

    private static String newUser(String login, String role, String password) {
        return "{\"login\":\"" + login + "\",\"display_name\":\"Maria Ivanova\",\"role\":\"" + role
                + "\",\"password\":\"" + password + "\"}";
    }

    private static String login() {
        return "maria-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void anAdminCreatesAUserWhoThenSignsInWithTheirRole() {
        ApiClient console = as(session(user(ApiRole.ADMIN)));
        String login = login();

        var created = console.post("/api/v1/users", newUser(login, "accountant", "first password of maria"));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.body().path("login").asString()).isEqualTo(login);
        assertThat(created.body().path("display_name").asString()).isEqualTo("Maria Ivanova");
        assertThat(created.body().path("role").asString()).isEqualTo("accountant");
        assertThat(created.body().path("disabled").asBoolean()).isFalse();
        assertThat(created.body().has("password")).isFalse();
        assertThat(created.body().has("password_hash")).isFalse();
        var signedIn = signIn(login, "first password of maria");
        assertThat(signedIn.status()).isEqualTo(200);
        assertThat(signedIn.body().path("role").asString()).isEqualTo("accountant");
        var listed = console.get("/api/v1/users?limit=100");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body()
                        .path("data")
                        .valueStream()
                        .map(u -> u.path("login").asString()))
                .contains(login);
    }

    @Test
    void aUserIsStaffWithAUniqueLoginAndAPasswordOfTwelveCharactersOrMore() {
        String login = login();
        assertThat(admin.post("/api/v1/users", newUser(login, "admin", "long enough password"))
                        .status())
                .isEqualTo(201);

        var taken = admin.post(
                "/api/v1/users",
                newUser(login.toUpperCase(java.util.Locale.ROOT), "operator", "another long password"));
        var customer = admin.post("/api/v1/users", newUser(login(), "customer", "long enough password"));
        var unknownRole = admin.post("/api/v1/users", newUser(login(), "cashier", "long enough password"));
        var shortPassword = admin.post("/api/v1/users", newUser(login(), "operator", "eleven char"));
        String same = login() + "-long";
        var passwordIsLogin = admin.post("/api/v1/users", newUser(same, "operator", same));

        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.problemType()).isEqualTo("login-taken");
        assertThat(customer.status()).isEqualTo(422);
        assertThat(customer.problemType()).isEqualTo("invalid-role");
        assertThat(unknownRole.problemType()).isEqualTo("invalid-role");
        assertThat(shortPassword.status()).isEqualTo(422);
        assertThat(shortPassword.problemType()).isEqualTo("weak-password");
        assertThat(passwordIsLogin.problemType()).isEqualTo("weak-password");
    }

    @Test
    void anAdminSetsAPasswordTheOldOneStopsAndTheLockOutEnds() {
        StaffUser operator = user(ApiRole.OPERATOR);
        Session before = session(operator);
        for (int i = 0; i < 5; i++) {
            signIn(operator.login(), "guess number " + i);
        }
        assertThat(signIn(operator.login(), PASSWORD).status()).isEqualTo(423);

        var reset = as(session(user(ApiRole.ADMIN)))
                .post("/api/v1/users/" + operator.id() + "/password", "{\"password\":\"set by the admin\"}");

        assertThat(reset.status()).as(reset.toString()).isEqualTo(200);
        assertThat(reset.body().path("locked_until").isNull()).isTrue();
        assertThat(signIn(operator.login(), PASSWORD).status()).isEqualTo(401);
        assertThat(signIn(operator.login(), "set by the admin").status()).isEqualTo(200);
        assertThat(cookieOnly(before).get("/api/v1/session").status()).isEqualTo(401);
    }

    @Test
    void anAdminCannotDisableThemselves() {
        StaffUser admin = user(ApiRole.ADMIN);

        var refused = as(session(admin)).post("/api/v1/users/" + admin.id() + "/disable", "{}");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.problemType()).isEqualTo("cannot-disable-yourself");
        assertThat(signIn(admin.login(), PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void onlyAdminsManageUsers() {
        StaffUser someone = user(ApiRole.FINANCE);
        String body = newUser(login(), "admin", "long enough password");
        for (ApiRole role : new ApiRole[] {ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR}) {
            ApiClient console = as(session(user(role)));
            ApiClient key = as(role, null);
            for (ApiClient caller : new ApiClient[] {console, key}) {
                assertThat(caller.get("/api/v1/users").status()).as(role.code()).isEqualTo(403);
                assertThat(caller.post("/api/v1/users", body).status())
                        .as(role.code())
                        .isEqualTo(403);
                assertThat(caller.post("/api/v1/users/" + someone.id() + "/password", "{\"password\":\"x\"}")
                                .status())
                        .isEqualTo(403);
                assertThat(caller.post("/api/v1/users/" + someone.id() + "/disable", "{}")
                                .status())
                        .isEqualTo(403);
            }
        }
        assertThat(anonymous().get("/api/v1/users").status()).isEqualTo(401);
    }

    @Test
    void aCustomersKeyGetsNothingOfTheUsersNorASession() {
        ApiClient customer = as(ApiRole.CUSTOMER, customer(CustomerType.INDIVIDUAL));
        StaffUser someone = user(ApiRole.OPERATOR);

        assertThat(customer.get("/api/v1/users").status()).isEqualTo(403);
        assertThat(customer.get("/api/v1/users/" + someone.id()).status()).isEqualTo(403);
        assertThat(customer.post("/api/v1/users", newUser(login(), "admin", "long enough password"))
                        .status())
                .isEqualTo(403);
        assertThat(customer.post("/api/v1/users/" + someone.id() + "/enable", "{}")
                        .status())
                .isEqualTo(403);
        assertThat(customer.get("/api/v1/session").status()).isEqualTo(403);
        // an admin's key is no session either
        assertThat(admin.get("/api/v1/session").status()).isEqualTo(401);
    }

    @Test
    void passwordsAreKeptOnlyAsArgon2idHashesAndLeftOutOfTheIdempotencyRecord() throws Exception {
        String login = login();
        String password = "the clear text " + UUID.randomUUID();
        String body = newUser(login, "operator", password);
        String key = UUID.randomUUID().toString();

        assertThat(admin.post("/api/v1/users", body, key).status()).isEqualTo(201);

        String hash = jdbc.sql("select password_hash from staff_user where login = ?")
                .param(login)
                .query(String.class)
                .single();
        assertThat(hash).matches("\\{argon2}\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]+\\$[A-Za-z0-9+/]+");
        assertThat(hash).doesNotContain(password);
        var record = jdbc.sql("select request_hash, response_body from idempotency_record where key = ?")
                .param(key)
                .query()
                .singleRow();
        assertThat(new String((byte[]) record.get("response_body"), StandardCharsets.UTF_8))
                .doesNotContain(password);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update("POST /api/v1/users\n".getBytes(StandardCharsets.UTF_8));
        assertThat((byte[]) record.get("request_hash"))
                .as("a SHA-256 of the body with the password in it")
                .isNotEqualTo(sha.digest(body.getBytes(StandardCharsets.UTF_8)));
        // the same key with another password is the same request, replayed
        var again = admin.post("/api/v1/users", newUser(login, "operator", password + "!"), key);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.raw().headers().firstValue("Idempotent-Replayed")).hasValue("true");
    }

    @Test
    void aUsersIdempotencyKeysAreTheirOwn() {
        StaffUser target = user(ApiRole.ACCOUNTANT);
        ApiClient first = as(session(user(ApiRole.ADMIN)));
        ApiClient second = as(session(user(ApiRole.ADMIN)));
        String key = "shared-" + UUID.randomUUID();

        var disabled = first.post("/api/v1/users/" + target.id() + "/disable", "{}", key);
        var replayed = first.post("/api/v1/users/" + target.id() + "/disable", "{}", key);
        var enabledByAnother = second.post("/api/v1/users/" + target.id() + "/enable", "{}", key);
        var disabledByAKey = admin.post("/api/v1/users/" + target.id() + "/disable", "{}", key);

        assertThat(disabled.body().path("disabled").asBoolean()).isTrue();
        assertThat(replayed.raw().headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(enabledByAnother.status()).as(enabledByAnother.toString()).isEqualTo(200);
        assertThat(enabledByAnother.raw().headers().firstValue("Idempotent-Replayed"))
                .isEmpty();
        assertThat(enabledByAnother.body().path("disabled").asBoolean()).isFalse();
        assertThat(disabledByAKey.status()).isEqualTo(200);
        assertThat(disabledByAKey.raw().headers().firstValue("Idempotent-Replayed"))
                .isEmpty();
        assertThat(disabledByAKey.body().path("disabled").asBoolean()).isTrue();
    }
}

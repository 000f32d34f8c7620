package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;

/** Base of the tests of people who sign in: users made through {@link StaffUsers}, sign-in over real HTTP. */
abstract class StaffApiTest extends ApiTest {

    static final String PASSWORD = "correct horse battery";

    @Autowired
    StaffUsers users;

    /** A new user of the role, with {@link #PASSWORD}; its login is unique to the test. */
    StaffUser user(ApiRole role) {
        String login = role.code() + "-" + UUID.randomUUID().toString().substring(0, 8);
        return users.createOrReset(login, "Test " + role.code(), role, PASSWORD);
    }

    /** Without a key or a cookie: what a browser that is not signed in sends. */
    ApiClient anonymous() {
        return new ApiClient(port, null, observer());
    }

    ApiClient.Response signIn(String login, String password) {
        return anonymous()
                .post("/api/v1/session", "{\"login\":\"" + login + "\",\"password\":\"" + password + "\"}", null);
    }

    /** A signed-in user's session: its cookie's value and its CSRF token. */
    record Session(String cookie, String csrfToken, HttpResponse<String> answer) {}

    Session session(StaffUser user) {
        return session(user.login(), PASSWORD);
    }

    Session session(String login, String password) {
        var answer = signIn(login, password);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        String setCookie = answer.raw().headers().firstValue("Set-Cookie").orElseThrow();
        String cookie = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
        return new Session(cookie, answer.body().path("csrf_token").asString(), answer.raw());
    }

    /** The console as the session's user: its cookie, and the CSRF token on every request. */
    ApiClient as(Session session) {
        return cookieOnly(session).with(ApiSecurity.CSRF_HEADER, session.csrfToken());
    }

    /** The session's cookie alone, as another site's form or script would send it. */
    ApiClient cookieOnly(Session session) {
        return anonymous().with("Cookie", ApiSecurity.SESSION_COOKIE + "=" + session.cookie());
    }
}

package io.kopek.api;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Signing in to the console: a staff user's login and password open a session, whose id travels in the
 * {@code kopek_session} cookie and whose CSRF token the console sends back with every change ({@code X-CSRF-Token}).
 * A wrong password and an unknown login get the same 401; too many wrong passwords lock the user out for a while
 * (423, with when it ends).
 */
@RestController
@ConditionalOnRole(Role.API)
@RequestMapping("/api/v1/session")
class SessionApi {

    private final StaffUsers users;
    private final StaffSessions sessions;
    private final StaffSecurityProperties.Session settings;
    private final Clock clock;

    SessionApi(StaffUsers users, StaffSessions sessions, StaffSecurityProperties properties, Clock clock) {
        this.users = users;
        this.clock = clock;
        this.sessions = sessions;
        this.settings = properties.session();
    }

    @Schema(name = "SignIn")
    record SignIn(
            @NotNull @Size(max = 64) String login,
            @NotNull @Size(max = Passwords.MAX_LENGTH) String password) {}

    /** The signed-in user, with the session's CSRF token to send back as {@code X-CSRF-Token}. */
    @Schema(name = "Session")
    record SessionView(String login, String displayName, ApiRole role, String csrfToken, long userId) {}

    @Schema(name = "ChangeOwnPassword")
    record ChangePassword(
            @NotNull @Size(max = Passwords.MAX_LENGTH) String currentPassword,
            @NotNull @Size(max = Passwords.MAX_LENGTH) String newPassword) {}

    /** A refused sign-in, answered here rather than as a domain refusal: 401 and 423 are the session's own. */
    static final class Refused extends RuntimeException {
        final HttpStatus status;
        final String type;
        final Instant lockedUntil;

        Refused(HttpStatus status, String type, String detail, Instant lockedUntil) {
            super(detail, null, false, false);
            this.status = status;
            this.type = type;
            this.lockedUntil = lockedUntil;
        }
    }

    @Operation(summary = "Sign in to the console (opens a session: cookie kopek_session)")
    @Allowed(withoutKey = true)
    @PostMapping
    ResponseEntity<SessionView> signIn(@Valid @RequestBody SignIn body) {
        var user = switch (users.signIn(body.login(), body.password())) {
            case StaffUsers.SignIn.Accepted accepted -> accepted.user();
            case StaffUsers.SignIn.Refused refused ->
                throw new Refused(
                        HttpStatus.UNAUTHORIZED, "invalid-credentials", "the login or the password is wrong", null);
            case StaffUsers.SignIn.Locked locked ->
                throw new Refused(
                        HttpStatus.LOCKED,
                        "account-locked",
                        "too many wrong passwords: signing in is locked until " + locked.until(),
                        locked.until());
        };
        StaffSessions.Opened session = sessions.open(user.id());
        return ResponseEntity.ok()
                .header(HttpHeaders.SET_COOKIE, cookie(session.id(), null).toString())
                .body(new SessionView(user.login(), user.displayName(), user.role(), session.csrfToken(), user.id()));
    }

    @Operation(summary = "Who is signed in (the session's CSRF token included)")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping
    SessionView current(HttpServletRequest request) {
        StaffSessions.Current current = sessionOf(request);
        ApiPrincipal user = current.principal();
        return new SessionView(user.name(), current.displayName(), user.role(), current.csrfToken(), user.id());
    }

    @Operation(summary = "Sign out (ends the session, clears the cookie)")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void signOut(HttpServletRequest request, HttpServletResponse response) {
        sessions.end(sessionOf(request).idHash());
        response.addHeader(HttpHeaders.SET_COOKIE, cookie("", Duration.ZERO).toString());
    }

    /** The user's own password; the user's other sessions end, this one stays. */
    @Operation(summary = "Change one's own password")
    @Allowed({ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(
            value = Idempotent.Mode.IN_TRANSACTION,
            passwords = {"current_password", "new_password"})
    @PostMapping("/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void changePassword(
            @Valid @RequestBody ChangePassword body,
            @AuthenticationPrincipal ApiPrincipal caller,
            HttpServletRequest request) {
        StaffSessions.Current current = sessionOf(request);
        users.changeOwn(caller.id(), body.currentPassword(), body.newPassword(), current.idHash());
    }

    @ExceptionHandler(Refused.class)
    ResponseEntity<ProblemDetail> refused(Refused e) {
        ProblemDetail problem = ProblemWriter.problem(e.status, e.type, e.getMessage());
        if (e.lockedUntil != null) {
            problem.setProperty("locked_until", e.lockedUntil.toString());
        }
        var answer = ResponseEntity.status(e.status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (e.status == HttpStatus.LOCKED) {
            answer.header(
                    HttpHeaders.RETRY_AFTER,
                    Long.toString(Math.max(
                            1, Duration.between(clock.instant(), e.lockedUntil).toSeconds())));
        }
        return answer.body(problem);
    }

    /** The caller's session; an API key has none. */
    private static StaffSessions.Current sessionOf(HttpServletRequest request) {
        if (!(request.getAttribute(ApiSecurity.SessionFilter.CURRENT) instanceof StaffSessions.Current current)) {
            throw new Refused(
                    HttpStatus.UNAUTHORIZED,
                    "unauthenticated",
                    "no session: an API key is not signed in; sign in with a login and password",
                    null);
        }
        return current;
    }

    private ResponseCookie cookie(String value, Duration maxAge) {
        var cookie = ResponseCookie.from(ApiSecurity.SESSION_COOKIE, value)
                .httpOnly(true)
                .secure(settings.secureCookie())
                .sameSite("Strict")
                .path("/");
        // none at sign-in: the cookie lasts as long as the browser; the session ends on the server's terms
        return (maxAge == null ? cookie : cookie.maxAge(maxAge)).build();
    }
}

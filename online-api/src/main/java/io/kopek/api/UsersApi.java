package io.kopek.api;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.errors.KopekException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The people who sign in to the console, for admins: list them, create one, set a password (which also ends a
 * lock-out and the user's sessions), disable and enable. There is no deletion: a user's name stays in the audit
 * log, so a user who leaves is disabled.
 */
@RestController
@ConditionalOnRole(Role.API)
@RequestMapping("/api/v1/users")
class UsersApi {

    private final StaffUsers users;

    UsersApi(StaffUsers users) {
        this.users = users;
    }

    @Schema(name = "NewUser")
    record NewUser(
            @NotBlank @Size(max = 64) String login,
            @NotBlank @Size(max = 200) String displayName,
            @NotNull String role,
            @NotNull @Size(max = Passwords.MAX_LENGTH) String password) {}

    @Schema(name = "SetPassword")
    record SetPassword(
            @NotNull @Size(max = Passwords.MAX_LENGTH) String password) {}

    @Operation(summary = "List the console's users")
    @Allowed(ApiRole.ADMIN)
    @GetMapping
    Page<StaffUser> list(@RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        return Page.read(cursor, limit, users::list, StaffUser::id);
    }

    @Operation(summary = "Create a user of the console (staff roles only)")
    @Allowed(ApiRole.ADMIN)
    @Idempotent(value = Idempotent.Mode.IN_TRANSACTION, passwords = "password")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    StaffUser create(@Valid @RequestBody NewUser body) {
        return users.create(
                body.login(), body.displayName(), Access.code(body.role(), ApiRole.class, "role"), body.password());
    }

    @Operation(summary = "Get a user of the console")
    @Allowed(ApiRole.ADMIN)
    @GetMapping("/{id}")
    StaffUser get(@PathVariable long id) {
        return users.find(id);
    }

    @Operation(summary = "Set a user's password (ends a lock-out and the user's sessions)")
    @Allowed(ApiRole.ADMIN)
    @Idempotent(value = Idempotent.Mode.IN_TRANSACTION, passwords = "password")
    @PostMapping("/{id}/password")
    StaffUser resetPassword(@PathVariable long id, @Valid @RequestBody SetPassword body) {
        return users.resetPassword(id, body.password());
    }

    @Operation(summary = "Disable a user (who can no longer sign in; their sessions end)")
    @Allowed(ApiRole.ADMIN)
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/{id}/disable")
    StaffUser disable(@PathVariable long id, @AuthenticationPrincipal ApiPrincipal caller) {
        if (caller.isUser() && caller.id() == id) {
            // the last admin would lock everyone out of the console; another admin (or an admin key) can do it
            throw KopekException.conflict("cannot-disable-yourself", "a user cannot disable themselves");
        }
        return users.disable(id);
    }

    @Operation(summary = "Enable a disabled user")
    @Allowed(ApiRole.ADMIN)
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/{id}/enable")
    StaffUser enable(@PathVariable long id) {
        return users.enable(id);
    }
}

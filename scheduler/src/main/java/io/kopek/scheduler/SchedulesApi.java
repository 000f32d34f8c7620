package io.kopek.scheduler;

import io.kopek.api.Allowed;
import io.kopek.api.ApiPrincipal;
import io.kopek.api.ApiRole;
import io.kopek.api.Idempotent;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The cluster's schedules: list them, change a cron, pause, resume, fire once now; each change with the caller's
 * reason in the audit log. The changes are Quartz's rows written in the request's transaction, so they are
 * idempotent the ordinary way (a repeated {@code Idempotency-Key} rolls its own change back and replays the answer).
 */
@RestController
@ConditionalOnRole(Role.API)
@RequestMapping("/api/v1/schedules")
class SchedulesApi {

    private final Schedules schedules;

    SchedulesApi(Schedules schedules) {
        this.schedules = schedules;
    }

    /** A Quartz cron expression (seconds first: {@code 0 0/10 * * * ?}) in the business time zone, and why. */
    @Schema(name = "ScheduleCronChange")
    record CronChange(String cron, String reason) {}

    /** Why (optional for machines; the console always asks). At most 1000 characters. */
    @Schema(name = "ScheduleActionReason")
    record Reason(String reason) {}

    @Operation(summary = "List the schedules")
    @Allowed({ApiRole.FINANCE, ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping
    List<Schedule> list() {
        return schedules.list();
    }

    @Operation(summary = "Change a schedule's cron expression")
    @Allowed({ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/{name}/cron")
    Schedule cron(
            @PathVariable String name, @RequestBody CronChange body, @AuthenticationPrincipal ApiPrincipal caller) {
        return schedules.changeCron(caller, name, body.cron(), body.reason());
    }

    @Operation(summary = "Pause a schedule")
    @Allowed({ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/{name}/pause")
    Schedule pause(
            @PathVariable String name,
            @RequestBody(required = false) Reason body,
            @AuthenticationPrincipal ApiPrincipal caller) {
        return schedules.pause(caller, name, reason(body));
    }

    @Operation(summary = "Resume a paused schedule")
    @Allowed({ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/{name}/resume")
    Schedule resume(
            @PathVariable String name,
            @RequestBody(required = false) Reason body,
            @AuthenticationPrincipal ApiPrincipal caller) {
        return schedules.resume(caller, name, reason(body));
    }

    /** Fires the schedule's work once now, on whichever scheduler process takes it (202: it runs after the answer). */
    @Operation(summary = "Fire a schedule's work once now")
    @Allowed({ApiRole.OPERATOR, ApiRole.ADMIN})
    @Idempotent(Idempotent.Mode.IN_TRANSACTION)
    @PostMapping("/{name}/trigger")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Schedule trigger(
            @PathVariable String name,
            @RequestBody(required = false) Reason body,
            @AuthenticationPrincipal ApiPrincipal caller) {
        return schedules.trigger(caller, name, reason(body));
    }

    private static String reason(Reason body) {
        return body == null ? null : body.reason();
    }
}

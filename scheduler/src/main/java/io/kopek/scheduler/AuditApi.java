package io.kopek.scheduler;

import io.kopek.api.Allowed;
import io.kopek.api.ApiRole;
import io.kopek.api.Page;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import io.kopek.errors.KopekException;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit log of what people and machines did to schedules, jobs and chains: newest first, by pages. */
@RestController
@ConditionalOnRole(Role.API)
@RequestMapping("/api/v1/audit")
class AuditApi {

    private final AuditLog audit;
    private final ZoneId zone;

    AuditApi(AuditLog audit, BusinessCalendar calendar) {
        this.audit = audit;
        this.zone = calendar.zone();
    }

    /**
     * Entries newest first; {@code cursor} is the id to go below. {@code from} and {@code to} are instants (ISO 8601)
     * or business days ({@code 2026-12-03}: from its start, to its end, in the business time zone).
     */
    @Operation(summary = "List the audit log")
    @Allowed({ApiRole.OPERATOR, ApiRole.ADMIN})
    @GetMapping
    Page<AuditEntry> list(
            @RequestParam(required = false) String action,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        AuditAction what = action(action);
        Instant since = instant("from", from, false);
        Instant until = instant("to", to, true);
        return Page.read(cursor, limit, (below, n) -> audit.list(below, n, what, since, until), AuditEntry::id);
    }

    private static AuditAction action(String code) {
        if (code == null || code.isBlank()) {
            return null;
        }
        try {
            return AuditAction.of(code.strip());
        } catch (IllegalArgumentException e) {
            throw KopekException.malformed(
                    "validation",
                    "action: one of "
                            + Arrays.stream(AuditAction.values())
                                    .map(AuditAction::code)
                                    .collect(Collectors.joining(", ")));
        }
    }

    /** An instant, or a business day: its start ({@code from}) or the start of the next ({@code to}, exclusive). */
    private Instant instant(String field, String text, boolean end) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            if (text.length() == 10) {
                LocalDate day = LocalDate.parse(text);
                return (end ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
            }
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw KopekException.malformed(
                    "validation", field + ": a date (2026-12-03) or an instant (2026-12-03T10:15:30Z)");
        }
    }
}

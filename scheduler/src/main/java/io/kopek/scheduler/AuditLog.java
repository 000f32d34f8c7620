package io.kopek.scheduler;

import io.kopek.api.ApiPrincipal;
import io.kopek.errors.KopekException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit log of operators' actions on jobs and schedules: who, when, what, and the reason they typed. Written
 * before the action itself is taken, in a transaction of its own, so an action that then fails is still on record
 * as attempted (its outcome is in the run it started, or in the refusal the caller got).
 */
@Service
public class AuditLog {

    /** The longest reason kept; longer ones are refused, not cut. */
    public static final int MAX_REASON = 1000;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records what {@code who} does to {@code target}; a reason longer than {@link #MAX_REASON} is a 400. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public AuditEntry record(
            ApiPrincipal who, AuditAction action, String target, Map<String, String> details, String reason) {
        return record(who.actor(), who.role().code(), action, target, details, reason);
    }

    /** The same for the platform itself acting on its own ({@code actor} e.g. {@code scheduler}). */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public AuditEntry record(
            String actor, String role, AuditAction action, String target, Map<String, String> details, String reason) {
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        if (why != null && why.length() > MAX_REASON) {
            throw KopekException.malformed("validation", "reason: at most " + MAX_REASON + " characters");
        }
        Map<String, String> sorted = new TreeMap<>(details == null ? Map.of() : details);
        return jdbc.sql("insert into scheduler_audit (actor, role, action, target, details, reason)"
                        + " values (?, ?, ?, ?, ?::jsonb, ?) returning *")
                .params(actor, role, action.code(), target, JSON.writeValueAsString(sorted), why)
                .query(AuditLog::entry)
                .single();
    }

    static AuditEntry entry(ResultSet rs, int row) throws SQLException {
        Map<String, String> details =
                JSON.readValue(rs.getString("details"), new TypeReference<Map<String, String>>() {});
        return new AuditEntry(
                rs.getLong("id"),
                rs.getObject("at", java.time.OffsetDateTime.class).toInstant(),
                rs.getString("actor"),
                rs.getString("role"),
                AuditAction.of(rs.getString("action")),
                rs.getString("target"),
                details,
                rs.getString("reason"));
    }

    /** Entries newest first, after the cursor id (0: from the newest), optionally of one action and a period. */
    public java.util.List<AuditEntry> list(long beforeId, int limit, AuditAction action, Instant from, Instant to) {
        return jdbc.sql("select * from scheduler_audit where (? = 0 or id < ?)"
                        + " and (cast(? as text) is null or action = ?)"
                        + " and (cast(? as timestamptz) is null or at >= ?)"
                        + " and (cast(? as timestamptz) is null or at < ?)"
                        + " order by id desc limit ?")
                .params(
                        beforeId,
                        beforeId,
                        action == null ? null : action.code(),
                        action == null ? null : action.code(),
                        ts(from),
                        ts(from),
                        ts(to),
                        ts(to),
                        limit)
                .query(AuditLog::entry)
                .list();
    }

    private static java.time.OffsetDateTime ts(Instant t) {
        return t == null ? null : t.atOffset(java.time.ZoneOffset.UTC);
    }
}

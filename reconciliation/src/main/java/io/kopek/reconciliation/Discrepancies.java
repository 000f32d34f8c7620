package io.kopek.reconciliation;

import io.kopek.calendar.BusinessCalendar;
import io.kopek.errors.KopekException;
import io.kopek.money.Money;
import io.kopek.outbox.Outbox;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The accountants' side of reconciliation: reading discrepancies, commenting on them, resolving them. */
@Service
public class Discrepancies {

    private static final String COLUMNS = "id, provider, business_date, item_key, result, why, amount, currency,"
            + " status, first_run_id, last_run_id, resolution, resolved_by, resolved_at, created_at";

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final BusinessCalendar calendar;

    Discrepancies(JdbcClient jdbc, Outbox outbox, BusinessCalendar calendar) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.calendar = calendar;
    }

    /** Discrepancies after {@code afterId}, filtered by any of provider, day and status. */
    @Transactional(readOnly = true)
    public List<Discrepancy> list(String provider, LocalDate day, String status, long afterId, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from discrepancy where id > :after");
        if (provider != null) sql.append(" and provider = :provider");
        if (day != null) sql.append(" and business_date = :day");
        if (status != null) sql.append(" and status = :status");
        sql.append(" order by id limit :limit");
        return jdbc.sql(sql.toString())
                .param("after", afterId)
                .param("provider", provider)
                .param("day", day)
                .param("status", status)
                .param("limit", limit)
                .query((rs, n) -> discrepancy(rs, List.of()))
                .list();
    }

    @Transactional(readOnly = true)
    public Optional<Discrepancy> find(long id) {
        List<Discrepancy.Comment> comments = jdbc.sql("select id, author, body, created_at from discrepancy_comment"
                        + " where discrepancy_id = ? order by id")
                .param(id)
                .query((rs, n) -> new Discrepancy.Comment(
                        rs.getLong("id"),
                        rs.getString("author"),
                        rs.getString("body"),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
        return jdbc.sql("select " + COLUMNS + " from discrepancy where id = ?")
                .param(id)
                .query((rs, n) -> discrepancy(rs, comments))
                .optional();
    }

    public Discrepancy get(long id) {
        return find(id).orElseThrow(() -> KopekException.notFound("discrepancy", id));
    }

    @Transactional
    public Discrepancy comment(long id, String author, String body) {
        lock(id);
        requireText(body, "comment");
        jdbc.sql("insert into discrepancy_comment (discrepancy_id, author, body, created_at) values (?, ?, ?, ?)")
                .params(id, author, body, Timestamp.from(calendar.now()))
                .update();
        return get(id);
    }

    /** Closes an open discrepancy with what was done about it; the lines and payments stay as they are. */
    @Transactional
    public Discrepancy resolve(long id, String author, String resolution) {
        Discrepancy discrepancy = lock(id);
        requireText(resolution, "resolution");
        if (!discrepancy.status().equals("open")) {
            throw KopekException.conflict(
                    "discrepancy-not-open", "discrepancy " + id + " is " + discrepancy.status() + ", not open");
        }
        jdbc.sql("update discrepancy set status = 'resolved', resolution = ?, resolved_by = ?, resolved_at = ?"
                        + " where id = ?")
                .params(resolution, author, Timestamp.from(calendar.now()), id)
                .update();
        outbox.publish(new ReconciliationEvents.DiscrepancyResolved(
                id, discrepancy.provider(), discrepancy.businessDate(), discrepancy.result(), author));
        return get(id);
    }

    private Discrepancy lock(long id) {
        return jdbc.sql("select " + COLUMNS + " from discrepancy where id = ? for update")
                .param(id)
                .query((rs, n) -> discrepancy(rs, List.of()))
                .optional()
                .orElseThrow(() -> KopekException.notFound("discrepancy", id));
    }

    private static void requireText(String text, String what) {
        if (text == null || text.isBlank() || text.length() > 4000) {
            throw KopekException.invalid("invalid-" + what, "a " + what + " is 1 to 4000 characters");
        }
    }

    private static Discrepancy discrepancy(ResultSet rs, List<Discrepancy.Comment> comments) throws SQLException {
        Timestamp resolved = rs.getTimestamp("resolved_at");
        Long amount = (Long) rs.getObject("amount");
        return new Discrepancy(
                rs.getLong("id"),
                rs.getString("provider"),
                rs.getObject("business_date", LocalDate.class),
                rs.getString("item_key"),
                rs.getString("result"),
                rs.getString("why"),
                amount == null
                        ? null
                        : Money.of(amount, rs.getString("currency").trim()),
                rs.getString("status"),
                rs.getLong("first_run_id"),
                rs.getLong("last_run_id"),
                rs.getString("resolution"),
                rs.getString("resolved_by"),
                resolved == null ? null : resolved.toInstant(),
                rs.getTimestamp("created_at").toInstant(),
                comments);
    }
}

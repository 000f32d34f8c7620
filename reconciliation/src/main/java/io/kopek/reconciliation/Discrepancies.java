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

    /**
     * The most discrepancies one request resolves together: they are locked and their events written in one
     * transaction, so a bigger set is refused (and narrowed by its author) rather than holding thousands of locks.
     */
    public static final int MAX_RESOLVED_AT_ONCE = 10_000;

    /** How many discrepancies of one result class a business day has, and how many of them are still open. */
    public record DayCount(LocalDate businessDate, ResultClass resultClass, long count, long open) {}

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

    /**
     * Closes many open discrepancies with one resolution, in one transaction, each exactly as {@link #resolve}
     * closes one (its author, time and resolution, a {@code discrepancy.resolved} event). All or nothing: an id
     * that does not exist is a 404, one that is not open a 409, more than {@link #MAX_RESOLVED_AT_ONCE} a 422
     * naming how many; nothing is resolved then. Returns how many it resolved.
     */
    @Transactional
    public int resolveAll(DiscrepancySelection selection, String author, String resolution) {
        requireText(resolution, "resolution");
        List<Discrepancy> locked = switch (selection) {
            case DiscrepancySelection.Ids ids -> lockOpen(ids);
            case DiscrepancySelection.Filter filter -> lockOpen(filter);
        };
        if (locked.isEmpty()) {
            return 0;
        }
        Long[] ids = locked.stream().map(Discrepancy::id).toArray(Long[]::new);
        jdbc.sql("update discrepancy set status = 'resolved', resolution = ?, resolved_by = ?, resolved_at = ?"
                        + " where id = any (?::bigint[])")
                .params(resolution, author, Timestamp.from(calendar.now()), ids)
                .update();
        for (Discrepancy d : locked) {
            outbox.publish(new ReconciliationEvents.DiscrepancyResolved(
                    d.id(), d.provider(), d.businessDate(), d.result(), author));
        }
        return locked.size();
    }

    /** The given discrepancies, locked in id order (so two bulk resolutions never deadlock), all of them open. */
    private List<Discrepancy> lockOpen(DiscrepancySelection.Ids selection) {
        Long[] ids = selection.ids().stream().distinct().sorted().toArray(Long[]::new);
        tooMany(ids.length);
        List<Discrepancy> locked = jdbc.sql(
                        "select " + COLUMNS + " from discrepancy where id = any (?::bigint[]) order by id for update")
                .param(ids)
                .query((rs, n) -> discrepancy(rs, List.of()))
                .list();
        if (locked.size() < ids.length) {
            java.util.Set<Long> found =
                    locked.stream().map(Discrepancy::id).collect(java.util.stream.Collectors.toSet());
            long missing = java.util.Arrays.stream(ids)
                    .filter(id -> !found.contains(id))
                    .findFirst()
                    .orElseThrow();
            throw KopekException.notFound("discrepancy", missing);
        }
        List<String> notOpen = locked.stream()
                .filter(d -> !d.status().equals("open"))
                .map(d -> d.id() + " is " + d.status())
                .toList();
        if (!notOpen.isEmpty()) {
            throw KopekException.conflict(
                    "discrepancy-not-open",
                    notOpen.size() + " of the discrepancies are not open: "
                            + String.join(", ", notOpen.subList(0, Math.min(10, notOpen.size())))
                            + (notOpen.size() > 10 ? ", ..." : ""));
        }
        return locked;
    }

    /** The open discrepancies the filter matches, locked in id order; at most {@link #MAX_RESOLVED_AT_ONCE}. */
    private List<Discrepancy> lockOpen(DiscrepancySelection.Filter filter) {
        String where = " from discrepancy where status = 'open'"
                + " and (cast(:provider as text) is null or provider = :provider)"
                + " and (cast(:day as date) is null or business_date = :day)"
                + " and (cast(:result as text) is null or result = :result)";
        String result =
                filter.resultClass() == null ? null : filter.resultClass().code();
        List<Discrepancy> locked = jdbc.sql("select " + COLUMNS + where + " order by id limit :limit for update")
                .param("provider", filter.provider())
                .param("day", filter.businessDate())
                .param("result", result)
                .param("limit", MAX_RESOLVED_AT_ONCE + 1)
                .query((rs, n) -> discrepancy(rs, List.of()))
                .list();
        if (locked.size() > MAX_RESOLVED_AT_ONCE) {
            tooMany(jdbc.sql("select count(*)" + where)
                    .param("provider", filter.provider())
                    .param("day", filter.businessDate())
                    .param("result", result)
                    .query(Long.class)
                    .single());
        }
        return locked;
    }

    private static void tooMany(long count) {
        if (count > MAX_RESOLVED_AT_ONCE) {
            throw KopekException.invalid(
                    "too-many-discrepancies",
                    count + " discrepancies are selected; at most " + MAX_RESOLVED_AT_ONCE
                            + " are resolved at once: narrow the selection");
        }
    }

    /**
     * Per business day from {@code from} to {@code to} and result class: how many discrepancies the reconciliation
     * found and kept (open or resolved; a cleared one is no longer a discrepancy), and how many are still open;
     * of one provider, or of all when {@code provider} is null.
     */
    @Transactional(readOnly = true)
    public List<DayCount> perDay(String provider, LocalDate from, LocalDate to) {
        return jdbc.sql("select business_date, result, count(*) as n, count(*) filter (where status = 'open') as open"
                        + " from discrepancy where status in ('open', 'resolved') and business_date between ? and ?"
                        + " and (cast(? as text) is null or provider = ?)"
                        + " group by business_date, result order by business_date, result")
                .params(from, to, provider, provider)
                .query((rs, n) -> new DayCount(
                        rs.getObject("business_date", LocalDate.class),
                        ResultClass.of(rs.getString("result")),
                        rs.getLong("n"),
                        rs.getLong("open")))
                .list();
    }

    /**
     * The business days before {@code day} with a discrepancy still open (of any provider), oldest first: what an
     * accountant still works on, whose registry lines and results retention keeps.
     */
    @Transactional(readOnly = true)
    public List<LocalDate> openDaysBefore(LocalDate day) {
        return jdbc.sql("select distinct business_date from discrepancy where status = 'open' and business_date < ?"
                        + " order by business_date")
                .param(day)
                .query(LocalDate.class)
                .list();
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

package io.kopek.search;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The drift checks' results in PostgreSQL ({@code search_drift_check}, {@code search_drift_difference}): written by
 * {@link DriftCheck} in a batch process, read by the API in any (it needs no engine).
 */
@Component
public class DriftResults {

    /** A check: when, over which days, and every difference found (none when the indices agree). */
    public record Report(Instant checkedAt, LocalDate from, LocalDate to, List<DriftFound.Difference> differences) {}

    private final JdbcClient jdbc;

    DriftResults(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** In the caller's transaction. */
    void store(Report report) {
        long id = jdbc.sql("insert into search_drift_check (checked_at, from_day, to_day, differences)"
                        + " values (?, ?, ?, ?) returning id")
                .params(
                        Timestamp.from(report.checkedAt()),
                        report.from(),
                        report.to(),
                        report.differences().size())
                .query(Long.class)
                .single();
        for (DriftFound.Difference d : report.differences()) {
            jdbc.sql("insert into search_drift_difference (check_id, kind, day, es_count, db_count, es_sum, db_sum)"
                            + " values (?, ?, ?, ?, ?, ?, ?)")
                    .params(id, d.index(), d.day(), d.esCount(), d.dbCount(), d.esSum(), d.dbSum())
                    .update();
        }
    }

    /** The last check, if one ran. */
    public Optional<Report> last() {
        return jdbc.sql("select id, checked_at, from_day, to_day from search_drift_check order by id desc limit 1")
                .query((rs, n) -> new Report(
                        rs.getTimestamp("checked_at").toInstant(),
                        rs.getObject("from_day", LocalDate.class),
                        rs.getObject("to_day", LocalDate.class),
                        differences(rs.getLong("id"))))
                .optional();
    }

    private List<DriftFound.Difference> differences(long check) {
        return jdbc.sql("select kind, day, es_count, db_count, es_sum, db_sum from search_drift_difference"
                        + " where check_id = ? order by kind, day")
                .param(check)
                .query((rs, n) -> new DriftFound.Difference(
                        rs.getString("kind"),
                        rs.getObject("day", LocalDate.class),
                        rs.getLong("es_count"),
                        rs.getLong("db_count"),
                        rs.getLong("es_sum"),
                        rs.getLong("db_sum")))
                .list();
    }
}

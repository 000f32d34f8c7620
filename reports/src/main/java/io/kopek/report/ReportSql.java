package io.kopek.report;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Component;

/**
 * The one way a report reads its rows: a query with named, bound parameters (never text put into SQL) streamed from a
 * server-side cursor a thousand rows at a time, each row read as the table's columns say, in their order. The
 * stream must be closed, and read inside the run's transaction (PostgreSQL only keeps a cursor open in one).
 *
 * <p>Times are read as the business zone's wall-clock ({@code created_at at time zone :zone}, a {@code timestamp}),
 * dates as {@code date}, money as {@code bigint} minor units.
 */
@Component
public class ReportSql {

    /** Rows fetched per round trip: small enough for flat memory, large enough to stream fast. */
    static final int FETCH_SIZE = 1000;

    private final NamedParameterJdbcTemplate jdbc;

    ReportSql(DataSource dataSource) {
        JdbcTemplate template = new JdbcTemplate(dataSource);
        template.setFetchSize(FETCH_SIZE);
        this.jdbc = new NamedParameterJdbcTemplate(template);
    }

    /** The rows of a query whose select list matches the columns one to one. */
    public Stream<Object[]> rows(String sql, SqlParameterSource parameters, List<Column> columns) {
        ColumnType[] types = columns.stream().map(Column::type).toArray(ColumnType[]::new);
        return jdbc.queryForStream(sql, parameters, (rs, n) -> row(rs, types));
    }

    /** A small query (a summary table) read whole. */
    public List<Object[]> list(String sql, SqlParameterSource parameters, List<Column> columns) {
        try (Stream<Object[]> rows = rows(sql, parameters, columns)) {
            return rows.toList();
        }
    }

    private static Object[] row(ResultSet rs, ColumnType[] types) throws SQLException {
        if (rs.getMetaData().getColumnCount() != types.length) {
            throw new IllegalStateException("the query selects "
                    + rs.getMetaData().getColumnCount() + " columns for a table of " + types.length);
        }
        Object[] row = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            int c = i + 1;
            row[i] = switch (types[i]) {
                case TEXT -> rs.getString(c);
                case DATE -> rs.getObject(c, LocalDate.class);
                case TIMESTAMP -> rs.getObject(c, LocalDateTime.class);
                case MONEY, INTEGER -> {
                    long v = rs.getLong(c);
                    yield rs.wasNull() ? null : v;
                }
                case DECIMAL -> rs.getObject(c, BigDecimal.class);
            };
        }
        return row;
    }
}

package io.kopek.report.catalogue;

import java.time.LocalDate;
import java.time.ZoneId;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * A report's query put together from fixed SQL: a condition is added only for a filter that is given (so the planner
 * sees the query it runs, not {@code :x is null or ...}), and every value is a named, bound parameter. The text of the
 * query never holds a value.
 *
 * <p>Every query gets {@code :zone}, the business zone, for {@code at time zone :zone} (times are shown as the zone's
 * wall clock); a period gets {@code :from} and {@code :to}, its first and last business day, compared as the instants
 * {@link BusinessDays} makes of them.
 */
final class FilteredSelect {

    private final StringBuilder sql;
    private final MapSqlParameterSource parameters = new MapSqlParameterSource();

    FilteredSelect(String select, ZoneId zone) {
        this.sql = new StringBuilder(select);
        parameters.addValue("zone", zone.getId());
    }

    /** Adds {@code condition} (naming {@code :name}) with {@code value} bound, if the value is given. */
    FilteredSelect and(String condition, String name, Object value) {
        if (value != null) {
            sql.append("\n  and ").append(condition);
            parameters.addValue(name, Conditions.bound(value));
        }
        return this;
    }

    /** {@code column} (a {@code timestamptz}) within the business days {@code from} to {@code to}, both included. */
    FilteredSelect within(String column, LocalDate from, LocalDate to) {
        parameters.addValue("from", from);
        parameters.addValue("to", to);
        sql.append("\n  and ")
                .append(column)
                .append(" >= ")
                .append(BusinessDays.START)
                .append(" and ")
                .append(column)
                .append(" < ")
                .append(BusinessDays.END);
        return this;
    }

    /** Binds a value that the fixed text names itself (not a condition added here). */
    FilteredSelect bind(String name, Object value) {
        parameters.addValue(name, value);
        return this;
    }

    FilteredSelect then(String text) {
        sql.append('\n').append(text);
        return this;
    }

    String sql() {
        return sql.toString();
    }

    MapSqlParameterSource parameters() {
        return parameters;
    }
}

package io.kopek.report.catalogue;

import io.kopek.customer.CustomerType;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * Conditions for the filters given, for a query that needs them in its middle (a CTE, a join) rather than at the end
 * as {@link FilteredSelect} adds them: fixed text for each given filter, its value bound in the query's parameters.
 */
final class Conditions {

    private final StringBuilder text = new StringBuilder();
    private final MapSqlParameterSource parameters;

    Conditions(MapSqlParameterSource parameters) {
        this.parameters = parameters;
    }

    /** Adds {@code and condition} (naming {@code :name}) with {@code value} bound, if the value is given. */
    Conditions and(String condition, String name, Object value) {
        if (value != null) {
            text.append(" and ").append(condition);
            parameters.addValue(name, bound(value));
        }
        return this;
    }

    /** A filter's value as the views hold it: a customer type by its code ({@code sole_proprietor}). */
    static Object bound(Object value) {
        return value instanceof CustomerType type ? type.code() : value;
    }

    /** The conditions, each starting with {@code and}; empty when no filter is given. */
    @Override
    public String toString() {
        return text.toString();
    }
}

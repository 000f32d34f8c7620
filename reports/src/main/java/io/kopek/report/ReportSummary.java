package io.kopek.report;

import java.math.BigDecimal;
import java.util.List;

/**
 * What a generated file holds, for the run's record and the file's own title page: rows per table and the control
 * totals (the sum of each summed column).
 */
public record ReportSummary(List<TableSummary> tables) {

    public ReportSummary {
        tables = List.copyOf(tables);
    }

    /** All rows of all tables. */
    public long rows() {
        return tables.stream().mapToLong(TableSummary::rows).sum();
    }

    /** The rows of one table and its totals, in the order of the summed columns. */
    public record TableSummary(String table, long rows, List<ControlTotal> totals) {
        public TableSummary {
            totals = List.copyOf(totals);
        }
    }

    /**
     * The sum of a column: minor units for {@link ColumnType#MONEY}, a count for {@link ColumnType#INTEGER}, the
     * decimal sum for {@link ColumnType#DECIMAL}.
     */
    public record ControlTotal(String column, String title, ColumnType type, BigDecimal value) {}
}

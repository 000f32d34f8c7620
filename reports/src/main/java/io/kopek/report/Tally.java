package io.kopek.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Counts and sums a table's rows as they pass to the writer: the run's row count and control totals come from what
 * was written, never from a second query.
 */
final class Tally {

    /** Told of every row that passes. */
    interface Progress {
        void row();
    }

    private final Table table;
    private final Progress progress;
    private final int[] summed;
    private final BigDecimal[] sums;
    private final long[] longSums;
    private long rows;

    Tally(Table table, Progress progress) {
        this.table = table;
        this.progress = progress;
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < table.columns().size(); i++) {
            if (table.columns().get(i).summed()) {
                indexes.add(i);
            }
        }
        this.summed = indexes.stream().mapToInt(Integer::intValue).toArray();
        this.sums = new BigDecimal[summed.length];
        this.longSums = new long[summed.length];
        java.util.Arrays.fill(sums, BigDecimal.ZERO);
    }

    Iterator<Object[]> wrap(Iterator<Object[]> rows) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Object[] next() {
                Object[] row = rows.next();
                add(row);
                return row;
            }
        };
    }

    private void add(Object[] row) {
        rows++;
        for (int i = 0; i < summed.length; i++) {
            Object value = row[summed[i]];
            if (value instanceof Long l) {
                longSums[i] = Math.addExact(longSums[i], l);
            } else if (value instanceof BigDecimal d) {
                sums[i] = sums[i].add(d);
            } else if (value != null) {
                throw new IllegalStateException(
                        table.name() + "." + table.columns().get(summed[i]).name() + " holds a "
                                + value.getClass().getSimpleName() + ", not a number");
            }
        }
        progress.row();
    }

    ReportSummary.TableSummary summary() {
        List<ReportSummary.ControlTotal> totals = new ArrayList<>();
        for (int i = 0; i < summed.length; i++) {
            Column c = table.columns().get(summed[i]);
            totals.add(new ReportSummary.ControlTotal(
                    c.name(), c.title(), c.type(), sums[i].add(BigDecimal.valueOf(longSums[i]))));
        }
        return new ReportSummary.TableSummary(table.name(), rows, totals);
    }
}

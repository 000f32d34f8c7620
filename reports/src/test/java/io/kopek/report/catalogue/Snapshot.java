package io.kopek.report.catalogue;

import io.kopek.report.ReportDefinition;
import io.kopek.report.ReportFilters;
import io.kopek.report.ReportQuery;
import io.kopek.report.Table;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** Reads a report's tables as a run does: in one read-only repeatable-read transaction, up to a watermark. */
final class Snapshot {

    private final TransactionTemplate snapshot;

    Snapshot(PlatformTransactionManager transactions) {
        this.snapshot = new TransactionTemplate(transactions);
        snapshot.setReadOnly(true);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    /** Each table's rows by the table's name, the filters checked for the report as of {@code today}. */
    Map<String, List<Object[]>> read(ReportDefinition report, ReportFilters filters, LocalDate today, long watermark) {
        ReportQuery query =
                new ReportQuery(report.type(), filters.validFor(report.type(), today), watermark, LocalDateTime.now());
        return snapshot.execute(status -> {
            Map<String, List<Object[]>> tables = new LinkedHashMap<>();
            for (Table table : report.tables(query)) {
                try (Stream<Object[]> rows = table.rows().get()) {
                    tables.put(table.name(), rows.toList());
                }
            }
            return tables;
        });
    }

    /** The detail table's rows. */
    List<Object[]> detail(ReportDefinition report, ReportFilters filters, LocalDate today, long watermark) {
        return read(report, filters, today, watermark).values().iterator().next();
    }

    static ReportFilters period(LocalDate from, LocalDate to) {
        return new ReportFilters(from, to, null, null, null, null, null, null, null, null);
    }

    static ReportFilters asOf(LocalDate to) {
        return new ReportFilters(null, to, null, null, null, null, null, null, null, null);
    }
}

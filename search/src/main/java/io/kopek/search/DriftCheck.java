package io.kopek.search;

import io.kopek.calendar.BusinessCalendar;
import io.kopek.outbox.Outbox;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Compares each index with PostgreSQL, per business day of the last {@code kopek.search.drift.days}: the documents and
 * the sum of their amounts in the engine (a date histogram with a sum over the alias) against the same from the
 * published views the documents are built from. Only objects created before now minus {@code kopek.search.drift.margin}
 * are counted on both sides, so what the indexer has not reached yet (its settle time, a pass under way) is no
 * difference; an index behind by more than the margin is one. Every check is stored ({@link DriftResults}); one with
 * differences raises {@link DriftFound}.
 *
 * <p>Reconciliation runs are not compared: the indexer writes every finished run, a reindex only the last run of each
 * provider's day (what reconciliation publishes), so their counts differ by design. Their discrepancies are compared.
 */
public class DriftCheck {

    private static final Logger log = LoggerFactory.getLogger(DriftCheck.class);

    /**
     * How a kind is measured: {@code table} (a published view), the amount column (the document's field of the same
     * name), and the day: the date of {@code created_at} in the business zone, or a {@code business_date} of its own.
     */
    record Measure(Kind kind, String table, String amount, boolean ownBusinessDate) {}

    static final List<Measure> MEASURES = List.of(
            new Measure(Kind.PAYMENTS, "billing_payment", "amount", false),
            new Measure(Kind.REFUNDS, "billing_refund", "amount", false),
            new Measure(Kind.INVOICES, "billing_invoice_header", "total", false),
            new Measure(Kind.HOLDS, "billing_hold", "amount", false),
            new Measure(Kind.RECEIPTS, "fiscal_receipt", "total", false),
            new Measure(Kind.DISCREPANCIES, "reconciliation_discrepancy", "amount", true));

    private final SearchIndex index;
    private final JdbcClient jdbc;
    private final DriftResults results;
    private final Outbox outbox;
    private final BusinessCalendar calendar;
    private final TransactionTemplate transactions;
    private final SearchProperties.Drift settings;

    DriftCheck(
            SearchIndex index,
            JdbcClient jdbc,
            DriftResults results,
            Outbox outbox,
            BusinessCalendar calendar,
            TransactionTemplate transactions,
            SearchProperties.Drift settings) {
        this.index = index;
        this.jdbc = jdbc;
        this.results = results;
        this.outbox = outbox;
        this.calendar = calendar;
        this.transactions = transactions;
        this.settings = settings;
    }

    /**
     * Checks every kind over the configured days, stores the result and, when something differs, publishes
     * {@link DriftFound} with it. Throws {@link SearchUnavailableException} when the engine cannot answer.
     */
    public DriftResults.Report run() {
        Instant checkedAt = calendar.now();
        LocalDate to = calendar.today();
        LocalDate from = to.minusDays(Math.max(1, settings.days()) - 1L);
        Instant before = checkedAt.minus(settings.margin());
        List<DriftFound.Difference> differences = new ArrayList<>();
        for (Measure measure : MEASURES) {
            differences.addAll(compare(measure, from, to, before));
        }
        DriftResults.Report report = new DriftResults.Report(checkedAt, from, to, differences);
        transactions.executeWithoutResult(status -> {
            results.store(report);
            if (!differences.isEmpty()) {
                outbox.publish(new DriftFound(checkedAt, differences));
            }
        });
        if (differences.isEmpty()) {
            log.info("search drift check {} to {}: every index agrees with PostgreSQL", from, to);
        } else {
            log.warn("search drift check {} to {}: {} differences: {}", from, to, differences.size(), differences);
        }
        return report;
    }

    /** The days of one kind on which the engine and the database disagree. */
    List<DriftFound.Difference> compare(Measure measure, LocalDate from, LocalDate to, Instant before) {
        ZoneId zone = calendar.zone();
        Map<LocalDate, SearchIndex.Totals> engine = measure.ownBusinessDate()
                ? index.dailyTotals(
                        measure.kind().alias(), "business_date", measure.amount(), ZoneOffset.UTC, from, to, before)
                : index.dailyTotals(measure.kind().alias(), "created_at", measure.amount(), zone, from, to, before);
        Map<LocalDate, SearchIndex.Totals> database = database(measure, from, to, before);
        List<DriftFound.Difference> differences = new ArrayList<>();
        TreeSet<LocalDate> days = new TreeSet<>(engine.keySet());
        days.addAll(database.keySet());
        SearchIndex.Totals none = new SearchIndex.Totals(0, 0);
        for (LocalDate day : days) {
            SearchIndex.Totals es = engine.getOrDefault(day, none);
            SearchIndex.Totals db = database.getOrDefault(day, none);
            if (!es.equals(db)) {
                differences.add(new DriftFound.Difference(
                        measure.kind().code(), day, es.count(), db.count(), es.sum(), db.sum()));
            }
        }
        return differences;
    }

    private Map<LocalDate, SearchIndex.Totals> database(Measure measure, LocalDate from, LocalDate to, Instant before) {
        ZoneId zone = calendar.zone();
        var query = measure.ownBusinessDate()
                ? jdbc.sql("select business_date as day, count(*) as n, coalesce(sum(" + measure.amount()
                                + "), 0) as total from " + measure.table()
                                + " where business_date between ? and ? and created_at < ? group by 1")
                        .params(from, to, Timestamp.from(before))
                : jdbc.sql("select (created_at at time zone ?)::date as day, count(*) as n, coalesce(sum("
                                + measure.amount() + "), 0) as total from " + measure.table()
                                + " where created_at >= ? and created_at < ? group by 1")
                        .params(
                                zone.getId(),
                                Timestamp.from(from.atStartOfDay(zone).toInstant()),
                                Timestamp.from(
                                        min(to.plusDays(1).atStartOfDay(zone).toInstant(), before)));
        Map<LocalDate, SearchIndex.Totals> totals = new TreeMap<>();
        query.query(rs -> {
            totals.put(
                    rs.getObject("day", LocalDate.class), new SearchIndex.Totals(rs.getLong("n"), rs.getLong("total")));
        });
        return totals;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}

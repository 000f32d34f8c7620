package io.kopek.reconciliation;

import io.kopek.billing.ProviderFees;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.errors.KopekException;
import io.kopek.money.Money;
import io.kopek.outbox.Outbox;
import io.kopek.reconciliation.ReconciliationEvents.Settlement;
import io.kopek.reconciliation.ReconciliationEvents.Totals;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Matches a provider's settlement registry for a business day against the ledger, set-based in SQL: first by
 * the provider's payment id, then by our invoice number and amount, then by amount within a time window. Every
 * registry line and every card payment or refund of the day gets one result with why; matched lines post the
 * provider's commission once; whatever did not match becomes (or stays) an open discrepancy.
 *
 * <p>A run is one transaction: a crash leaves nothing of it, and running the day again gives the same result
 * and posts nothing twice.
 */
@Service
public class Reconciliation {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Reconciliation.class);

    /**
     * The stored summary's JSON, by a mapper of its own: what the database keeps does not change with the API's
     * conventions.
     */
    private static final JsonMapper SUMMARIES = new JsonMapper();

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ProviderFees fees;
    private final Outbox outbox;
    private final BusinessCalendar calendar;
    private final ReconciliationProperties properties;
    private final ResultPartitions days;

    Reconciliation(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            ProviderFees fees,
            Outbox outbox,
            BusinessCalendar calendar,
            ReconciliationProperties properties,
            ResultPartitions days) {
        this.jdbc = jdbc;
        this.days = days;
        // A run is a transaction of its own, whatever the caller's (a job step's, an API request's).
        this.transactions = new TransactionTemplate(transactions.getTransactionManager());
        this.transactions.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
        this.fees = fees;
        this.outbox = outbox;
        this.calendar = calendar;
        this.properties = properties;
    }

    /** Reconciles the provider's day; a second run of the same day waits for the first. */
    public ReconciliationRun run(String provider, LocalDate day) {
        resultsPartition(day);
        Long id = transactions.execute(tx -> reconcile(provider, day));
        return get(id);
    }

    /** The day's partition of the results, made before the run's transaction writes into it, in one of its own. */
    private void resultsPartition(LocalDate day) {
        days.ensure(day);
    }

    private long reconcile(String provider, LocalDate day) {
        jdbc.sql("select pg_advisory_xact_lock(hashtext('reconciliation'), hashtext(? || ':' || ?))")
                .params(provider, day.toString())
                .query()
                .singleRow();
        long run = jdbc.sql("insert into reconciliation_run (provider, business_date, status) values (?, ?, 'running')"
                        + " returning id")
                .params(provider, day)
                .query(Long.class)
                .single();
        Map<String, Object> p = parameters(run, provider, day);
        int[] rows = match(p, provider, day);
        Settlement settlement = jdbc.sql(Sql.SETTLEMENT)
                .query((rs, n) -> new Settlement(
                        rs.getLong("registry_settles"),
                        rs.getLong("ledger_expects"),
                        rs.getLong("registry_commission")))
                .single();
        Tally tally = close(run, provider, day, p);
        int registryLines = rows[Sql.MATCHING.indexOf(Sql.REGISTRY)];
        int ledgerOperations = rows[Sql.MATCHING.indexOf(Sql.LEDGER)];
        Summary summary = new Summary(tally.byResult(), settlement);
        jdbc.sql("update reconciliation_run set status = 'done', registry_lines = ?, ledger_operations = ?,"
                        + " summary = ?::jsonb, finished_at = clock_timestamp() where id = ?")
                .params(registryLines, ledgerOperations, SUMMARIES.writeValueAsString(summary), run)
                .update();
        outbox.publish(new ReconciliationEvents.ReconciliationCompleted(
                run, provider, day, summary.results(), summary.settlement()));
        return run;
    }

    /** The named parameters of the run's SQL ({@link Sql}). */
    private Map<String, Object> parameters(long run, String provider, LocalDate day) {
        Instant from = day.atStartOfDay(calendar.zone()).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(calendar.zone()).toInstant();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("run", run);
        p.put("provider", provider);
        p.put("day", day);
        p.put("from", Timestamp.from(from));
        p.put("to", Timestamp.from(to));
        p.put("window", properties.timeWindow().toSeconds());
        p.put("tolerance", properties.feeTolerance());
        p.put("firstDay", day.minusDays(properties.adjacentDays()));
        p.put("lastDay", day.plusDays(properties.adjacentDays()));
        p.put("zone", calendar.zone().getId());
        return p;
    }

    /** The matching statements in order, in the run's transaction; how many rows each wrote. */
    private int[] match(Map<String, Object> p, String provider, LocalDate day) {
        // Sorts and hashes of a million lines stay in memory instead of spilling to disk.
        jdbc.sql("select set_config('work_mem', ?, true)")
                .param(properties.workMem().toKilobytes() + "kB")
                .query()
                .singleRow();
        int[] rows = new int[Sql.MATCHING.size()];
        for (int i = 0; i < rows.length; i++) {
            String statement = Sql.MATCHING.get(i);
            long start = System.nanoTime();
            rows[i] = jdbc.sql(statement).params(p).update();
            if (log.isDebugEnabled()) {
                log.debug(
                        "{} {}: {} rows in {} ms: {}",
                        provider,
                        day,
                        rows[i],
                        (System.nanoTime() - start) / 1_000_000,
                        statement.strip().lines().findFirst().orElse(""));
            }
        }
        return rows;
    }

    /** The run's tally, its commissions posted, its discrepancies opened or cleared. */
    private Tally close(long run, String provider, LocalDate day, Map<String, Object> p) {
        long start = System.nanoTime();
        Tally tally = tally(p);
        long tallied = System.nanoTime();
        postFees(run, provider, day, tally.matchedCommission());
        long fees = System.nanoTime();
        jdbc.sql(Sql.DISCREPANCIES).params(p).update();
        jdbc.sql(Sql.CLEARED).params(p).update();
        log.debug(
                "{} {}: summary {} ms, fees {} ms, discrepancies {} ms",
                provider,
                day,
                (tallied - start) / 1_000_000,
                (fees - tallied) / 1_000_000,
                (System.nanoTime() - fees) / 1_000_000);
        return tally;
    }

    /**
     * What the run found: per result, how many and how much (all currencies together, as the summary shows them);
     * per currency, the commission of the lines it matched.
     */
    private record Tally(Map<String, Totals> byResult, Map<String, Long> matchedCommission) {}

    private Tally tally(Map<String, Object> p) {
        Map<String, Totals> byResult = new LinkedHashMap<>();
        for (ResultClass result : ResultClass.values()) {
            byResult.put(result.code(), new Totals(0, 0));
        }
        Map<String, Long> commissions = new LinkedHashMap<>();
        jdbc.sql(Sql.TALLY).params(p).query(rs -> {
            byResult.merge(
                    rs.getString("result"),
                    new Totals(rs.getLong("n"), rs.getLong("amount")),
                    (a, b) -> new Totals(a.count() + b.count(), a.amount() + b.amount()));
            commissions.merge(rs.getString("currency").trim(), rs.getLong("matched_commission"), Long::sum);
        });
        return new Tally(byResult, commissions);
    }

    /**
     * The commission of every matched line not posted before, one ledger transaction per currency: all that the
     * run matched ({@code matched}, per currency) when it is the day's first, else what no earlier run matched.
     */
    private void postFees(long run, String provider, LocalDate day, Map<String, Long> matched) {
        String keyPrefix = provider + ":" + day + ":run:" + run + ":";
        Map<String, Long> toPost = matched;
        boolean reconciledBefore = jdbc.sql("select exists (select 1 from reconciliation_run where provider = ?"
                        + " and business_date = ? and status = 'done' and id <> ?)")
                .params(provider, day, run)
                .query(Boolean.class)
                .single();
        if (reconciledBefore) {
            // fresh statistics on the results of the day's runs, or the comparison is planned as if they were few
            days.analyze(day);
            toPost = new LinkedHashMap<>();
            for (Map<String, Object> sum : jdbc.sql(Sql.FEES)
                    .params(Map.of("run", run, "provider", provider, "day", day))
                    .query()
                    .listOfRows()) {
                toPost.put(((String) sum.get("currency")).trim(), ((Number) sum.get("commission")).longValue());
            }
        }
        toPost.forEach((currency, total) -> {
            if (total != 0) {
                fees.post(provider, Money.of(total, currency), keyPrefix + currency, provider + " registry " + day);
            }
        });
    }

    public ReconciliationRun get(long id) {
        return find(id).orElseThrow(() -> KopekException.notFound("reconciliation run", id));
    }

    public Optional<ReconciliationRun> find(long id) {
        return jdbc.sql("select * from reconciliation_run where id = ?")
                .param(id)
                .query(this::run)
                .optional();
    }

    /** The latest run of each day of a provider, newest day first. */
    public List<ReconciliationRun> latest(String provider, LocalDate from, LocalDate to) {
        return jdbc.sql("select distinct on (business_date) * from reconciliation_run where provider = ?"
                        + " and business_date between ? and ? order by business_date desc, id desc")
                .params(provider, from, to)
                .query(this::run)
                .list();
    }

    /**
     * What a run found, one row per registry line or ledger operation; {@code result} null for all. Read in the
     * partition of the run's day alone.
     */
    public List<ResultLine> results(long runId, ResultClass wanted, int offset, int limit) {
        String result = wanted == null ? null : wanted.code();
        Optional<LocalDate> day = find(runId).map(ReconciliationRun::businessDate);
        if (day.isEmpty()) {
            return List.of();
        }
        return jdbc.sql(
                        "select run_id, result, file_id, line_no, payment_id, refund_id, operation, provider_payment_id,"
                                + " match_key, registry_amount, ledger_amount, registry_commission, expected_commission,"
                                + " currency, coalesce(why, 'matched by ' || match_key) as why from reconciliation_result"
                                + " where business_date = ? and run_id = ? and (?::text is null or result = ?)"
                                + " order by file_id nulls last, line_no, payment_id, refund_id offset ? limit ?")
                .params(day.get(), runId, result, result, offset, limit)
                .query((rs, n) -> new ResultLine(
                        rs.getLong("run_id"),
                        ResultClass.of(rs.getString("result")),
                        rs.getObject("file_id", Long.class),
                        rs.getObject("line_no", Integer.class),
                        rs.getObject("payment_id", Long.class),
                        rs.getObject("refund_id", Long.class),
                        rs.getString("operation"),
                        rs.getString("provider_payment_id"),
                        rs.getString("match_key"),
                        rs.getObject("registry_amount", Long.class),
                        rs.getObject("ledger_amount", Long.class),
                        rs.getObject("registry_commission", Long.class),
                        rs.getObject("expected_commission", Long.class),
                        rs.getString("currency").trim(),
                        rs.getString("why")))
                .list();
    }

    @SuppressWarnings("unchecked")
    private ReconciliationRun run(ResultSet rs, int n) throws SQLException {
        String summary = rs.getString("summary");
        Timestamp finished = rs.getTimestamp("finished_at");
        return new ReconciliationRun(
                rs.getLong("id"),
                rs.getString("provider"),
                rs.getObject("business_date", LocalDate.class),
                rs.getString("status"),
                (Integer) rs.getObject("registry_lines"),
                (Integer) rs.getObject("ledger_operations"),
                summary == null ? null : SUMMARIES.readValue(summary, Summary.class),
                rs.getTimestamp("started_at").toInstant(),
                finished == null ? null : finished.toInstant());
    }
}

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
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
 * <p>A run is {@link #open opened}, then {@link #matchPartition matched in partitions} (by a hash of the payment id,
 * each a transaction of its own, run at most once, in any order or at once, in this process or others), then
 * {@link #close closed} in one transaction that pairs what crosses partitions and settles the day: tally, commission,
 * discrepancies. A crash leaves every partition done or not done and the close done or not: the run goes on from
 * there, and running the day again gives the same result and posts nothing twice. The results do not depend on the
 * number of partitions ({@link Sql}).
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
        // Each part of a run is a transaction of its own, whatever the caller's (a job step's, an API request's).
        this.transactions = new TransactionTemplate(transactions.getTransactionManager());
        this.transactions.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
        this.fees = fees;
        this.outbox = outbox;
        this.calendar = calendar;
        this.properties = properties;
    }

    /**
     * Reconciles the provider's day now, in the configured number of partitions, {@code kopek.reconciliation.threads}
     * of them at once on virtual threads (as the batch job runs them locally), then closes the run.
     */
    public ReconciliationRun run(String provider, LocalDate day) {
        long run = open(provider, day, properties.partitions());
        matchPartitions(run, properties.partitions());
        return close(run);
    }

    /** Every partition of the run, at most {@code kopek.reconciliation.threads} at once; the first failure is thrown. */
    private void matchPartitions(long run, int partitions) {
        int threads = Math.min(properties.threads(), partitions);
        if (threads == 1) {
            for (int partition = 0; partition < partitions; partition++) {
                matchPartition(run, partition);
            }
            return;
        }
        // As the batch job runs them. A partition is one statement at a time in one PostgreSQL backend, one core, and
        // it reads the whole day to find its own: a million lines in 2 at once took PostgreSQL 8.0-9.1 s of CPU
        // against 5.2-6.7 s in one, and on 2 cores shared with other work were not measurably faster (5.4-5.6 s
        // against 6.6-7.1 s in one pair of runs, 6.2-7.6 s against 5.4-5.6 s in another; 2026-12-05, issue 20).
        List<Future<Boolean>> done = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(
                threads, Thread.ofVirtual().name("reconciliation-partition-", 0).factory())) {
            for (int i = 0; i < partitions; i++) {
                int partition = i;
                done.add(pool.submit(() -> matchPartition(run, partition)));
            }
            for (Future<Boolean> partition : done) {
                partition.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("a partition of reconciliation run " + run + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while matching reconciliation run " + run, e);
        }
    }

    /** A new run of the provider's day in {@code partitions} partitions; nothing is matched yet. */
    public long open(String provider, LocalDate day, int partitions) {
        if (partitions < 1 || partitions > 1024) {
            throw new IllegalArgumentException("partitions must be between 1 and 1024: " + partitions);
        }
        resultsPartition(day);
        return transactions.execute(
                tx -> jdbc.sql("insert into reconciliation_run (provider, business_date, status, partitions)"
                                + " values (?, ?, 'running', ?) returning id")
                        .params(provider, day, partitions)
                        .query(Long.class)
                        .single());
    }

    /**
     * The day's partition of the results, made before any of the run's transactions writes into it, in a transaction
     * of its own.
     */
    private void resultsPartition(LocalDate day) {
        days.ensure(day);
    }

    /** The number of partitions the run was opened with. */
    public int partitions(long run) {
        return jdbc.sql("select partitions from reconciliation_run where id = ?")
                .param(run)
                .query(Integer.class)
                .optional()
                .orElseThrow(() -> KopekException.notFound("reconciliation run", run));
    }

    /**
     * Matches one partition of a run by payment id, in one transaction; a partition done before is left alone (and
     * one being done by another transaction is waited for, then left alone).
     *
     * @return whether this call did the partition
     */
    public boolean matchPartition(long run, int partition) {
        ReconciliationRun opened = get(run);
        int partitions = partitions(run);
        if (partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException(
                    "run " + run + " has partitions 0 to " + (partitions - 1) + ", not " + partition);
        }
        if (!opened.status().equals("running")) {
            return false;
        }
        Map<String, Object> p = parameters(run, opened.provider(), opened.businessDate());
        p.put("partition", partition);
        p.put("partitions", partitions);
        p.put(
                "otherPartitions",
                IntStream.range(0, partitions)
                        .filter(i -> i != partition)
                        .boxed()
                        .toArray(Integer[]::new));
        Boolean did = transactions.execute(tx -> {
            if (jdbc.sql(Sql.CLAIM).params(p).update() == 0) {
                return false;
            }
            execute(Sql.PARTITION, p, opened, "partition " + partition + "/" + partitions);
            return true;
        });
        return Boolean.TRUE.equals(did);
    }

    /**
     * Closes a run whose partitions are all done: pairs what they left unpaired by the keys that cross payment ids,
     * tallies, posts the commissions not posted before, opens and clears discrepancies, announces the run; one
     * transaction, one at a time per provider's day. A run closed before answers itself.
     *
     * @throws IllegalStateException when a partition is not done
     */
    public ReconciliationRun close(long run) {
        transactions.executeWithoutResult(tx -> {
            ReconciliationRun opened = get(run);
            jdbc.sql("select pg_advisory_xact_lock(hashtext('reconciliation'), hashtext(? || ':' || ?))")
                    .params(opened.provider(), opened.businessDate().toString())
                    .query()
                    .singleRow();
            String status = jdbc.sql("select status from reconciliation_run where id = ? for update")
                    .param(run)
                    .query(String.class)
                    .single();
            if (!status.equals("running")) {
                return;
            }
            int partitions = partitions(run);
            int done = jdbc.sql("select count(*) from reconciliation_partition where run_id = ?")
                    .param(run)
                    .query(Integer.class)
                    .single();
            if (done != partitions) {
                throw new IllegalStateException("reconciliation run " + run + " has " + done + " of " + partitions
                        + " partitions done; it closes when all are");
            }
            settle(opened);
        });
        return get(run);
    }

    private void settle(ReconciliationRun opened) {
        long run = opened.id();
        String provider = opened.provider();
        LocalDate day = opened.businessDate();
        Map<String, Object> p = parameters(run, provider, day);
        execute(Sql.CLOSE, p, opened, "close");
        Map<String, Object> totals = jdbc.sql(Sql.SETTLEMENT).params(p).query().singleRow();
        Settlement settlement = new Settlement(
                ((Number) totals.get("registry_settles")).longValue(),
                ((Number) totals.get("ledger_expects")).longValue(),
                ((Number) totals.get("registry_commission")).longValue());
        Tally tally = book(run, provider, day, p);
        Summary summary = new Summary(tally.byResult(), settlement);
        jdbc.sql("update reconciliation_run set status = 'done', registry_lines = ?, ledger_operations = ?,"
                        + " summary = ?::jsonb, finished_at = clock_timestamp() where id = ?")
                .params(
                        ((Number) totals.get("registry_lines")).intValue(),
                        ((Number) totals.get("ledger_operations")).intValue(),
                        SUMMARIES.writeValueAsString(summary),
                        run)
                .update();
        outbox.publish(new ReconciliationEvents.ReconciliationCompleted(
                run, provider, day, summary.results(), summary.settlement()));
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
        p.put("dayBefore", day.minusDays(1));
        p.put("dayAfter", day.plusDays(1));
        p.put("zone", calendar.zone().getId());
        return p;
    }

    /** Statements in order, in the caller's transaction. */
    private void execute(List<String> statements, Map<String, Object> p, ReconciliationRun run, String part) {
        // Sorts and hashes of a million lines stay in memory instead of spilling to disk. No JIT: compiling the run's
        // statements cost more than it saved (a million-line run 0.7 s faster without, 2026-12-05). No parallel
        // workers: the partitions already run side by side, one a core, and a statement's workers only queued behind
        // them (and were launched even for a branch that a one-time filter skips: 30-45 ms each).
        jdbc.sql("select set_config('work_mem', ?, true), set_config('jit', 'off', true),"
                        + " set_config('max_parallel_workers_per_gather', '0', true)")
                .param(properties.workMem().toKilobytes() + "kB")
                .query()
                .singleRow();
        for (String statement : statements) {
            long start = System.nanoTime();
            int rows = jdbc.sql(statement).params(p).update();
            if (log.isDebugEnabled()) {
                log.debug(
                        "{} {} run {} {}: {} rows in {} ms: {}",
                        run.provider(),
                        run.businessDate(),
                        run.id(),
                        part,
                        rows,
                        (System.nanoTime() - start) / 1_000_000,
                        statement.strip().lines().findFirst().orElse(""));
            }
        }
    }

    /** The run's tally, its commissions posted, its discrepancies opened or cleared. */
    private Tally book(long run, String provider, LocalDate day, Map<String, Object> p) {
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

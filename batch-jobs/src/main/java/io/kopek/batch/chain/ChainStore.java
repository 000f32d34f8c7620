package io.kopek.batch.chain;

import io.kopek.batch.BatchWorker;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** The chains' tables ({@code batch/V11.2}): claims, steps' progress, reading. */
@Component
class ChainStore {

    /** The advisory lock's first key: "a provider's business day's chain" (transaction-scoped). */
    static final int DAY_LOCK = 7042;

    /** Whether chain {@code c}'s batch worker holds its advisory lock (the first parameter: its class, 7040). */
    private static final String WORKER_ALIVE = "exists (select 1 from pg_locks l where l.locktype = 'advisory'"
            + " and l.classid = ? and l.objid = c.worker_id and l.objsubid = 2 and l.granted"
            + " and l.database = (select oid from pg_database where datname = current_database()))";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    ChainStore(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** What a claim of a provider's day found. */
    sealed interface Claim {
        /** This caller runs the day: the chain is written, running, its steps pending. */
        record Claimed(Chain chain) implements Claim {}

        /** Another attempt of the day is running (on a live worker). */
        record AlreadyRunning(long chainId) implements Claim {}

        /** The day has a completed chain and the caller only wanted a missed day. */
        record AlreadyCompleted(long chainId) implements Claim {}
    }

    /**
     * Claims a provider's day for {@code worker}: under the day's lock (so two claims, or a claim and a chain's end,
     * never pass each other), a running attempt whose worker died is marked failed first; then a running attempt,
     * or with {@code onlyIfMissed} a completed one, wins over this claim.
     */
    Claim claim(String provider, LocalDate day, Chain.Trigger trigger, int worker, boolean onlyIfMissed) {
        return transactions.execute(tx -> {
            lockDay(provider, day);
            failDead(provider, day);
            Optional<Long> running = chainIn(provider, day, Chain.State.RUNNING);
            if (running.isPresent()) {
                return new Claim.AlreadyRunning(running.get());
            }
            if (onlyIfMissed) {
                Optional<Long> completed = chainIn(provider, day, Chain.State.COMPLETED);
                if (completed.isPresent()) {
                    return new Claim.AlreadyCompleted(completed.get());
                }
            }
            long id = jdbc.sql(
                            "insert into settlement_chain (provider, business_date, attempt, trigger, state, worker_id)"
                                    + " select ?, ?, coalesce(max(attempt), 0) + 1, ?, 'running', ? from settlement_chain"
                                    + " where provider = ? and business_date = ? returning id")
                    .params(provider, day, trigger.code(), worker, provider, day)
                    .query(Long.class)
                    .single();
            for (Chain.StepName step : Chain.StepName.values()) {
                jdbc.sql(
                                "insert into settlement_chain_step (chain_id, position, step, state) values (?, ?, ?, 'pending')")
                        .params(id, step.ordinal() + 1, step.code())
                        .update();
            }
            return new Claim.Claimed(get(id).orElseThrow());
        });
    }

    void stepStarted(long chainId, Chain.StepName step) {
        jdbc.sql(
                        "update settlement_chain_step set state = 'running', started_at = now() where chain_id = ? and step = ?")
                .params(chainId, step.code())
                .update();
    }

    void stepEnded(long chainId, Chain.StepName step, Chain.StepState state, Long jobRunId, String error) {
        jdbc.sql("update settlement_chain_step set state = ?, job_run_id = ?, ended_at = now(), error = ?"
                        + " where chain_id = ? and step = ?")
                .params(state.code(), jobRunId, error, chainId, step.code())
                .update();
    }

    /** Ends the chain; the steps it did not reach are skipped. Under the day's lock, like a claim. */
    void finish(Chain chain, Chain.State state, String error) {
        transactions.executeWithoutResult(tx -> {
            lockDay(chain.provider(), chain.businessDate());
            jdbc.sql("update settlement_chain_step set state = 'skipped' where chain_id = ? and state = 'pending'")
                    .param(chain.id())
                    .update();
            jdbc.sql(
                            "update settlement_chain set state = ?, ended_at = now(), error = ? where id = ? and state = 'running'")
                    .params(state.code(), error, chain.id())
                    .update();
        });
    }

    Optional<Chain> get(long id) {
        return jdbc.sql("select * from settlement_chain where id = ?")
                .param(id)
                .query(this::chain)
                .optional();
    }

    /** Chains newest first, below the cursor id (0: from the newest), of one provider or all, by business day. */
    List<Chain> list(String provider, LocalDate from, LocalDate to, long beforeId, int limit) {
        return jdbc.sql("select * from settlement_chain where (? = 0 or id < ?)"
                        + " and (cast(? as text) is null or provider = ?)"
                        + " and (cast(? as date) is null or business_date >= ?)"
                        + " and (cast(? as date) is null or business_date <= ?)"
                        + " order by id desc limit ?")
                .params(beforeId, beforeId, provider, provider, from, from, to, to, limit)
                .query(this::chain)
                .list();
    }

    /**
     * The days of a provider between {@code from} and {@code to} with a chain completed, or one running on a live
     * worker (one left by a dead process does not hide its day from the missed ones).
     */
    Set<LocalDate> daysCompletedOrRunning(String provider, LocalDate from, LocalDate to) {
        return new TreeSet<>(jdbc.sql("select distinct business_date from settlement_chain c where provider = ?"
                        + " and business_date between ? and ? and (state = 'completed' or (state = 'running'"
                        + " and " + WORKER_ALIVE + "))")
                .params(provider, from, to, BatchWorker.LOCK_CLASS)
                .query(LocalDate.class)
                .list());
    }

    Optional<LocalDate> earliestDay(String provider) {
        return jdbc.sql("select business_date from settlement_chain where provider = ? order by business_date limit 1")
                .param(provider)
                .query(LocalDate.class)
                .optional();
    }

    private void lockDay(String provider, LocalDate day) {
        jdbc.sql("select pg_advisory_xact_lock(?, hashtext(? || '/' || ?))")
                .params(DAY_LOCK, provider, day.toString())
                .query()
                .singleRow();
    }

    /**
     * Fails every chain left running by a process that died, each under its day's lock as a claim would, so a day
     * shows as failed (and missed) soon after its worker died, not only when it is claimed again. Answers how many.
     */
    int failDeadChains() {
        record Day(String provider, LocalDate day) {}
        List<Day> days = jdbc.sql("select distinct c.provider, c.business_date from settlement_chain c"
                        + " where c.state = 'running' and not " + WORKER_ALIVE)
                .param(BatchWorker.LOCK_CLASS)
                .query((rs, n) -> new Day(rs.getString("provider"), rs.getObject("business_date", LocalDate.class)))
                .list();
        int failed = 0;
        for (Day d : days) {
            failed += transactions.execute(tx -> {
                lockDay(d.provider(), d.day());
                return failDead(d.provider(), d.day());
            });
        }
        return failed;
    }

    /** A running chain whose batch worker no longer holds its lock was left by a process that died. */
    private int failDead(String provider, LocalDate day) {
        String dead = " where c.provider = ? and c.business_date = ? and c.state = 'running' and not " + WORKER_ALIVE;
        List<Long> ids = jdbc.sql("select c.id from settlement_chain c" + dead)
                .params(provider, day, BatchWorker.LOCK_CLASS)
                .query(Long.class)
                .list();
        for (long id : ids) {
            jdbc.sql("update settlement_chain_step set state = case state when 'running' then 'failed' else 'skipped'"
                            + " end, ended_at = case state when 'running' then now() end,"
                            + " error = case state when 'running' then 'its batch worker died' end"
                            + " where chain_id = ? and state in ('running', 'pending')")
                    .param(id)
                    .update();
            jdbc.sql("update settlement_chain set state = 'failed', ended_at = now(),"
                            + " error = 'its batch worker ' || worker_id || ' died while it ran' where id = ?")
                    .param(id)
                    .update();
        }
        return ids.size();
    }

    private Optional<Long> chainIn(String provider, LocalDate day, Chain.State state) {
        return jdbc.sql("select id from settlement_chain where provider = ? and business_date = ? and state = ?"
                        + " order by id desc limit 1")
                .params(provider, day, state.code())
                .query(Long.class)
                .optional();
    }

    private Chain chain(ResultSet rs, int row) throws SQLException {
        long id = rs.getLong("id");
        List<Chain.Step> steps = jdbc.sql("select * from settlement_chain_step where chain_id = ? order by position")
                .param(id)
                .query((s, n) -> new Chain.Step(
                        Chain.StepName.of(s.getString("step")),
                        Chain.StepState.of(s.getString("state")),
                        s.getObject("job_run_id", Long.class),
                        instant(s, "started_at"),
                        instant(s, "ended_at"),
                        s.getString("error")))
                .list();
        return new Chain(
                id,
                rs.getString("provider"),
                rs.getObject("business_date", LocalDate.class),
                rs.getInt("attempt"),
                Chain.Trigger.of(rs.getString("trigger")),
                Chain.State.of(rs.getString("state")),
                instant(rs, "started_at"),
                instant(rs, "ended_at"),
                rs.getString("error"),
                steps);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}

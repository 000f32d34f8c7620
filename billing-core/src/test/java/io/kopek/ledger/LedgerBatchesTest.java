package io.kopek.ledger;

import static io.kopek.money.Money.RUB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kopek.money.Money;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * ledger_reserve_all and ledger_post_pending_all (ledger/V2.6, their arrays read by index since V2.7) leave the same
 * accounts and entries as ledger_reserve and ledger_post_pending called transfer after transfer: in bulk when the batch
 * is the plain case, and through the one-by-one functions when it is not (here: a transaction id used before, a
 * transfer posted twice, arrays of different lengths). Each case runs in two worlds of their own, one per way.
 */
@SpringBootTest
class LedgerBatchesTest {

    @Autowired
    Ledger ledger;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void plainReservationsAndPostingsGoInBulkToTheSameTotalsAndEntries() {
        List<Transfer> batch = List.of(
                new Transfer("wallet", "clearing", 100_00, 60_00), new Transfer("wallet", "clearing", 50_00, 50_00));

        World oneByOne = new World();
        World inBulk = new World();

        assertThat(oneByOne.reserveThenPost(batch, false)).isEqualTo(batch.size() * 2L);
        assertThat(inBulk.reserveThenPost(batch, true)).isZero();
        assertThat(inBulk.state()).isEqualTo(oneByOne.state());
    }

    @Test
    void anAccountOnBothSidesOfABatchIsPostedInBulkToTheSameTotals() {
        List<Transfer> batch = List.of(
                new Transfer("wallet", "clearing", 100_00, 100_00), new Transfer("clearing", "wallet", 30_00, 20_00));

        World oneByOne = new World();
        World inBulk = new World();

        oneByOne.reserveThenPost(batch, false);
        assertThat(inBulk.reserveThenPost(batch, true)).isZero();
        assertThat(inBulk.state()).isEqualTo(oneByOne.state());
    }

    @Test
    void aPostingUnderATransactionIdUsedBeforeIsPostedOneByOneWithoutEntriesAgain() {
        List<Transfer> batch = List.of(new Transfer("wallet", "clearing", 40_00, 40_00));

        World oneByOne = new World();
        World inBulk = new World();
        oneByOne.transactionsUsedBefore = true;
        inBulk.transactionsUsedBefore = true;

        oneByOne.reserveThenPost(batch, false);
        assertThat(inBulk.reserveThenPost(batch, true)).isEqualTo(batch.size());
        assertThat(inBulk.state()).isEqualTo(oneByOne.state());
    }

    @Test
    void aBatchWhoseArraysDifferInLengthIsPostedOneByOneAsTheLoopReadsThem() {
        World w = new World();
        UUID[] ids = {UUID.randomUUID(), UUID.randomUUID()};
        UUID[] txs = {UUID.randomUUID(), UUID.randomUUID()};
        for (UUID id : ids) {
            jdbc.queryForObject(
                    "select ledger_reserve(?, ?, ?, ?, 'RUB', ?, 0)::text",
                    String.class,
                    id,
                    w.wallet,
                    w.clearing,
                    30_00L,
                    Timestamp.from(Instant.now().plus(1, ChronoUnit.HOURS)));
        }

        // one reference for two transfers: the second is posted with none, as ledger_post_pending's loop reads it
        long calls = w.counted(() -> jdbc.queryForObject(
                "select ledger_post_pending_all(?::uuid[], ?, ?::uuid[], 'batch_test', ?, now())::text",
                String.class,
                text(ids),
                new Long[] {30_00L, 20_00L},
                text(txs),
                new String[] {w.run}));

        assertThat(calls).isEqualTo(2);
        assertThat(jdbc.queryForList(
                        "select coalesce(reference, '-') from ledger_transaction where id = any(?::uuid[])"
                                + " order by array_position(?::uuid[], id)",
                        String.class,
                        text(txs),
                        text(txs)))
                .containsExactly(w.run, "-");
    }

    private static String[] text(UUID[] ids) {
        return Arrays.stream(ids).map(UUID::toString).toArray(String[]::new);
    }

    @Test
    void aTransferPostedTwiceInABatchIsRefusedAsOneByOneRefusesItAndLeavesNothing() {
        World w = new World();
        UUID id = UUID.randomUUID();
        jdbc.queryForObject(
                "select ledger_reserve(?, ?, ?, ?, 'RUB', ?, 0)::text",
                String.class,
                id,
                w.wallet,
                w.clearing,
                50_00L,
                Timestamp.from(Instant.now().plus(1, ChronoUnit.HOURS)));
        State before = w.state();

        assertThatThrownBy(() -> transactions.executeWithoutResult(s -> jdbc.queryForObject(
                        "select ledger_post_pending_all(?::uuid[], ?, ?::uuid[], 'batch_test', ?, now())::text",
                        String.class,
                        new String[] {id.toString(), id.toString()},
                        new Long[] {10_00L, 10_00L},
                        new String[] {
                            UUID.randomUUID().toString(), UUID.randomUUID().toString()
                        },
                        new String[] {w.run, w.run})))
                .hasMessageContaining("pending transfer " + id + " is posted");
        assertThat(w.state()).isEqualTo(before);
    }

    /** A reservation of {@code reserved} minor units from one of a world's accounts to another, posted for {@code posted}. */
    record Transfer(String from, String to, long reserved, long posted) {}

    /** What a world's accounts and the entries of its postings add up to, named by role. */
    record State(List<List<Long>> accounts, List<String> entries) {}

    /**
     * A clearing account (debit-normal, may go negative) and a wallet (credit-normal) topped up with 200 RUB from it.
     */
    private final class World {
        final String run = UUID.randomUUID().toString();
        final String clearing = "provider:batch:clearing:" + run;
        final String wallet = "customer:" + run + ":balance";
        final List<UUID> postings = new ArrayList<>();
        boolean transactionsUsedBefore;

        World() {
            ledger.open(AccountSpec.debitNormal(clearing, RUB, true));
            ledger.open(AccountSpec.creditNormal(wallet, RUB, false));
            ledger.post(
                    LedgerTransaction.transfer(UUID.randomUUID(), "top_up", run, clearing, wallet, Money.rub(200_00)));
        }

        /**
         * Reserves the batch, then posts it, in one transaction each, in bulk or one by one; returns how many calls of
         * the one-by-one functions the bulk calls (or the loop) made.
         */
        long reserveThenPost(List<Transfer> batch, boolean bulk) {
            int n = batch.size();
            UUID[] ids = new UUID[n];
            UUID[] txs = new UUID[n];
            for (int i = 0; i < n; i++) {
                ids[i] = UUID.randomUUID();
                txs[i] = UUID.randomUUID();
                postings.add(txs[i]);
                if (transactionsUsedBefore) {
                    ledger.post(LedgerTransaction.transfer(txs[i], "earlier", null, clearing, wallet, Money.rub(1)));
                }
            }
            String[] from = batch.stream().map(t -> code(t.from())).toArray(String[]::new);
            String[] to = batch.stream().map(t -> code(t.to())).toArray(String[]::new);
            Long[] reserved = batch.stream().map(Transfer::reserved).toArray(Long[]::new);
            Long[] posted = batch.stream().map(Transfer::posted).toArray(Long[]::new);
            String[] currencies = batch.stream().map(t -> "RUB").toArray(String[]::new);
            Instant expires = Instant.now().plus(1, ChronoUnit.HOURS);
            String[] expiry = batch.stream().map(t -> expires.toString()).toArray(String[]::new);
            Long[] limits = batch.stream().map(t -> 0L).toArray(Long[]::new);
            String[] references = batch.stream().map(t -> run).toArray(String[]::new);
            long calls = counted(() -> {
                if (bulk) {
                    jdbc.queryForObject(
                            "select ledger_reserve_all(?::uuid[], ?, ?, ?, ?, ?::timestamptz[], ?)::text",
                            String.class,
                            text(ids),
                            from,
                            to,
                            reserved,
                            currencies,
                            expiry,
                            limits);
                } else {
                    for (int i = 0; i < n; i++) {
                        jdbc.queryForObject(
                                "select ledger_reserve(?, ?, ?, ?, ?, ?, ?)::text",
                                String.class,
                                ids[i],
                                from[i],
                                to[i],
                                reserved[i],
                                "RUB",
                                Timestamp.from(expires),
                                0L);
                    }
                }
            });
            calls += counted(() -> {
                Timestamp now = Timestamp.from(Instant.now());
                if (bulk) {
                    jdbc.queryForObject(
                            "select ledger_post_pending_all(?::uuid[], ?, ?::uuid[], 'batch_test', ?, ?)::text",
                            String.class,
                            text(ids),
                            posted,
                            text(txs),
                            references,
                            now);
                } else {
                    for (int i = 0; i < n; i++) {
                        jdbc.queryForObject(
                                "select ledger_post_pending(?, ?, ?, 'batch_test', ?, ?)::text",
                                String.class,
                                ids[i],
                                posted[i],
                                txs[i],
                                run,
                                now);
                    }
                }
            });
            return calls;
        }

        /** The calls of ledger_reserve and ledger_post_pending that {@code work} made, in a transaction of its own. */
        private long counted(Runnable work) {
            return transactions.execute(s -> {
                jdbc.execute("set local track_functions = 'pl'");
                // PostgreSQL 15 shows counts not yet flushed from the connection's earlier transactions too
                long before = calls();
                work.run();
                return calls() - before;
            });
        }

        private long calls() {
            return jdbc.queryForObject(
                    "select coalesce(sum(calls), 0) from pg_stat_xact_user_functions"
                            + " where funcname in ('ledger_reserve', 'ledger_post_pending')",
                    Long.class);
        }

        State state() {
            List<List<Long>> accounts = new ArrayList<>();
            for (String code : List.of(clearing, wallet)) {
                accounts.add(jdbc.queryForObject(
                        "select debits_posted, credits_posted, debits_pending, credits_pending from ledger_account"
                                + " where code = ?",
                        (rs, n) -> List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)),
                        code));
            }
            List<String> entries = new ArrayList<>();
            for (UUID tx : postings) {
                entries.addAll(jdbc.query(
                        "select t.kind, a.code, e.side, e.amount from ledger_entry e"
                                + " join ledger_transaction t on t.id = e.transaction_id"
                                + " join ledger_account a on a.id = e.account_id where t.id = ? order by e.id",
                        (rs, n) -> rs.getString(1) + " " + role(rs.getString(2)) + " " + rs.getString(3) + " "
                                + rs.getLong(4),
                        tx));
            }
            entries.addAll(jdbc.query(
                    "select p.status, p.amount, p.posted_amount from ledger_pending_transfer p"
                            + " join ledger_account d on d.id = p.debit_account_id where d.code in (?, ?)"
                            + " order by p.created_at, p.amount",
                    (rs, n) -> rs.getString(1) + " " + rs.getLong(2) + " " + rs.getLong(3),
                    clearing,
                    wallet));
            return new State(accounts, entries);
        }

        private String code(String role) {
            return role.equals("wallet") ? wallet : clearing;
        }

        private String role(String code) {
            return code.equals(wallet) ? "wallet" : "clearing";
        }
    }
}

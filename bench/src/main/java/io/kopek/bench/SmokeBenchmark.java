package io.kopek.bench;

import io.kopek.calendar.BusinessCalendar;
import io.kopek.ledger.AccountSpec;
import io.kopek.ledger.Ledger;
import io.kopek.ledger.LedgerTransaction;
import io.kopek.money.Money;
import io.kopek.testing.ScratchDatabase;
import java.io.StringReader;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Ledger rows written through Kopek's data layer ({@link Ledger#postAll}, with its locking, balance checks and
 * account updates) against the floor: the same rows loaded with plain PostgreSQL {@code COPY}.
 */
class SmokeBenchmark implements Benchmark {

    private static final int ACCOUNTS = 100;
    private static final int BATCH = 1_000;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    // The ledger dates its postings by the business calendar.
    @ComponentScan(basePackageClasses = {Ledger.class, BusinessCalendar.class})
    static class CoreOnly {}

    @Override
    public String description() {
        return "ledger rows through the data layer vs plain COPY (--rows=100000 --rounds=3)";
    }

    @Override
    public Result run(Options options) throws Exception {
        int rows = options.intValue("rows", 100_000);
        int rounds = options.intValue("rounds", 3);
        List<Double> ledgerSeconds = new ArrayList<>();
        List<Double> copySeconds = new ArrayList<>();
        try (ScratchDatabase db = ScratchDatabase.create("kopek_bench");
                ConfigurableApplicationContext context = new SpringApplicationBuilder(CoreOnly.class)
                        .web(WebApplicationType.NONE)
                        .logStartupInfo(false)
                        .properties(Map.of(
                                "spring.main.banner-mode", "off",
                                "logging.level.root", "warn",
                                "spring.datasource.url", db.url()))
                        // On the command line: above a test JVM's own spring.datasource.url (a system property), so
                        // that a
                        // benchmark run by BenchmarksTest measures its own database, not the test's.
                        .run("--spring.datasource.url=" + db.url())) {
            Ledger ledger = context.getBean(Ledger.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            DataSource dataSource = context.getBean(DataSource.class);
            System.out.printf(
                    "smoke: %d ledger rows (%d two-legged transactions), %d rounds%n", rows, rows / 2, rounds);
            for (int round = 1; round <= rounds; round++) {
                List<LedgerTransaction> transactions = transactions(rows / 2);

                reset(jdbc, ledger);
                long start = System.nanoTime();
                for (int from = 0; from < transactions.size(); from += BATCH) {
                    ledger.postAll(transactions.subList(from, Math.min(from + BATCH, transactions.size())));
                }
                ledgerSeconds.add((System.nanoTime() - start) / 1e9);
                requireRows(jdbc, rows);

                reset(jdbc, ledger);
                start = System.nanoTime();
                copy(dataSource, jdbc, transactions);
                copySeconds.add((System.nanoTime() - start) / 1e9);
                requireRows(jdbc, rows);

                System.out.printf(
                        "round %d/%d: data layer %.3f s, COPY %.3f s%n",
                        round, rounds, ledgerSeconds.getLast(), copySeconds.getLast());
            }
        }
        double seconds = Result.median(ledgerSeconds);
        double copy = Result.median(copySeconds);
        return new Result()
                .put("rows", (long) rows)
                .put("seconds", seconds)
                .put("copy_seconds", copy)
                .put("ratio", seconds / copy);
    }

    private static List<LedgerTransaction> transactions(int count) {
        List<LedgerTransaction> transactions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            transactions.add(LedgerTransaction.transfer(
                    UUID.randomUUID(),
                    "top_up",
                    "bench-" + i,
                    "provider:bench:clearing",
                    "customer:" + (i % ACCOUNTS) + ":balance",
                    Money.rub(100 + i % 9_900)));
        }
        return transactions;
    }

    private static void reset(JdbcTemplate jdbc, Ledger ledger) {
        jdbc.execute(
                "truncate ledger_entry, ledger_transaction, ledger_pending_transfer, ledger_account restart identity cascade");
        ledger.open(AccountSpec.debitNormal("provider:bench:clearing", Money.RUB, true));
        for (int i = 0; i < ACCOUNTS; i++) {
            ledger.open(AccountSpec.creditNormal("customer:" + i + ":balance", Money.RUB, false));
        }
        jdbc.execute("vacuum analyze ledger_account");
    }

    /** The floor: the same transaction and entry rows, streamed with COPY in one database transaction. */
    private static void copy(DataSource dataSource, JdbcTemplate jdbc, List<LedgerTransaction> transactions)
            throws Exception {
        Map<String, Long> accountIds = new java.util.HashMap<>();
        jdbc.query("select code, id from ledger_account", rs -> {
            accountIds.put(rs.getString(1), rs.getLong(2));
        });
        StringBuilder transactionRows = new StringBuilder();
        StringBuilder entryRows = new StringBuilder();
        for (LedgerTransaction t : transactions) {
            transactionRows
                    .append(t.id())
                    .append('\t')
                    .append(t.kind())
                    .append('\t')
                    .append(t.reference())
                    .append('\n');
            for (var e : t.entries()) {
                entryRows
                        .append(t.id())
                        .append('\t')
                        .append(accountIds.get(e.accountCode()))
                        .append('\t')
                        .append(e.side() == io.kopek.ledger.Side.DEBIT ? 'D' : 'C')
                        .append('\t')
                        .append(e.amount().minor())
                        .append('\t')
                        .append(e.amount().currency().getCurrencyCode())
                        .append('\n');
            }
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            copy.copyIn(
                    "copy ledger_transaction (id, kind, reference) from stdin",
                    new StringReader(transactionRows.toString()));
            copy.copyIn(
                    "copy ledger_entry (transaction_id, account_id, side, amount, currency) from stdin",
                    new StringReader(entryRows.toString()));
            c.commit();
        }
    }

    private static void requireRows(JdbcTemplate jdbc, int rows) {
        Integer written = jdbc.queryForObject("select count(*) from ledger_entry", Integer.class);
        if (written == null || written != rows) {
            throw new IllegalStateException("expected " + rows + " ledger rows, found " + written);
        }
    }
}

package io.kopek.ledger;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** SQL for the ledger. Postings go to the database function {@code ledger_post} as arrays, in one call. */
@Repository
class LedgerStore {

    private static final String ACCOUNT_COLUMNS =
            "id, code, currency, normal_side, allow_negative, debits_posted, credits_posted, debits_pending, credits_pending";

    private final JdbcTemplate jdbc;

    LedgerStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insertAccountIfAbsent(AccountSpec spec) {
        jdbc.update(
                "insert into ledger_account (code, currency, normal_side, allow_negative) values (?, ?, ?, ?)"
                        + " on conflict (code) do nothing",
                spec.code(),
                spec.currency().getCurrencyCode(),
                String.valueOf(spec.normalSide().code()),
                spec.allowNegative());
    }

    Optional<AccountRow> findAccount(String code) {
        return jdbc
                .query("select " + ACCOUNT_COLUMNS + " from ledger_account where code = ?", LedgerStore::account, code)
                .stream()
                .findFirst();
    }

    List<AccountRow> accountsWithPrefix(String prefix) {
        return jdbc.query(
                "select " + ACCOUNT_COLUMNS + " from ledger_account where starts_with(code, ?) order by code",
                LedgerStore::account,
                prefix);
    }

    /**
     * Posts the transactions through {@code ledger_post}, whose refusals come back as its SQLSTATEs; returns the
     * ids written now.
     */
    Set<UUID> post(List<LedgerTransaction> transactions) {
        return jdbc.execute((ConnectionCallback<Set<UUID>>) con -> {
            int n = transactions.size();
            UUID[] ids = new UUID[n];
            String[] kinds = new String[n];
            String[] references = new String[n];
            List<Integer> entryOf = new ArrayList<>();
            List<String> entryAccounts = new ArrayList<>();
            List<String> entrySides = new ArrayList<>();
            List<Long> entryAmounts = new ArrayList<>();
            List<String> entryCurrencies = new ArrayList<>();
            List<Integer> limitOf = new ArrayList<>();
            List<String> limitAccounts = new ArrayList<>();
            List<Long> limits = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                LedgerTransaction t = transactions.get(i);
                ids[i] = t.id();
                kinds[i] = t.kind();
                references[i] = t.reference();
                for (Entry e : t.entries()) {
                    entryOf.add(i + 1);
                    entryAccounts.add(e.accountCode());
                    entrySides.add(String.valueOf(e.side().code()));
                    entryAmounts.add(e.amount().minor());
                    entryCurrencies.add(e.amount().currency().getCurrencyCode());
                }
                for (var limit : t.creditLimits().entrySet()) {
                    limitOf.add(i + 1);
                    limitAccounts.add(limit.getKey());
                    limits.add(limit.getValue());
                }
            }
            try (var ps = con.prepareStatement("select * from ledger_post(?::uuid[], ?::text[], ?::text[], ?::int[],"
                    + " ?::text[], ?::text[], ?::bigint[], ?::text[], ?::int[], ?::text[], ?::bigint[])")) {
                ps.setArray(1, con.createArrayOf("uuid", ids));
                ps.setArray(2, con.createArrayOf("text", kinds));
                ps.setArray(3, con.createArrayOf("text", references));
                ps.setArray(4, array(con, "int4", entryOf.toArray()));
                ps.setArray(5, array(con, "text", entryAccounts.toArray()));
                ps.setArray(6, array(con, "text", entrySides.toArray()));
                ps.setArray(7, array(con, "int8", entryAmounts.toArray()));
                ps.setArray(8, array(con, "text", entryCurrencies.toArray()));
                ps.setArray(9, array(con, "int4", limitOf.toArray()));
                ps.setArray(10, array(con, "text", limitAccounts.toArray()));
                ps.setArray(11, array(con, "int8", limits.toArray()));
                Set<UUID> written = new HashSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        written.add(rs.getObject(1, UUID.class));
                    }
                }
                return written;
            }
        });
    }

    private static Array array(Connection con, String type, Object[] values) throws SQLException {
        return con.createArrayOf(type, values);
    }

    private static AccountRow account(ResultSet rs, int rowNum) throws SQLException {
        return new AccountRow(
                rs.getLong("id"),
                rs.getString("code"),
                Currency.getInstance(rs.getString("currency")),
                Side.of(rs.getString("normal_side").charAt(0)),
                rs.getBoolean("allow_negative"),
                rs.getLong("debits_posted"),
                rs.getLong("credits_posted"),
                rs.getLong("debits_pending"),
                rs.getLong("credits_pending"));
    }

    List<LedgerEntryView> entries(String accountCode, long afterId, int limit) {
        return jdbc.query(
                "select e.id, e.transaction_id, t.kind, t.reference, t.posted_at, e.side, e.amount, e.currency"
                        + " from ledger_entry e join ledger_account a on a.id = e.account_id"
                        + " join ledger_transaction t on t.id = e.transaction_id"
                        + " where a.code = ? and e.id > ? order by e.id limit ?",
                (rs, n) -> new LedgerEntryView(
                        rs.getLong("id"),
                        rs.getObject("transaction_id", UUID.class),
                        rs.getString("kind"),
                        rs.getString("reference"),
                        rs.getTimestamp("posted_at").toInstant(),
                        Side.of(rs.getString("side").charAt(0)),
                        new io.kopek.money.Money(rs.getLong("amount"), Currency.getInstance(rs.getString("currency")))),
                accountCode,
                afterId,
                limit);
    }
}

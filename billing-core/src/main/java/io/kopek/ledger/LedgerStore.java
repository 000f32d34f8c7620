package io.kopek.ledger;

import io.kopek.calendar.BusinessCalendar;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.Currency;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** SQL for the ledger. Multi-row writes go through {@code unnest} of arrays: one statement per table. */
@Repository
class LedgerStore {

    private static final String ACCOUNT_COLUMNS =
            "id, code, currency, normal_side, allow_negative, debits_posted, credits_posted, debits_pending, credits_pending";

    private final JdbcTemplate jdbc;
    private final BusinessCalendar calendar;

    LedgerStore(JdbcTemplate jdbc, BusinessCalendar calendar) {
        this.jdbc = jdbc;
        this.calendar = calendar;
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

    java.util.List<AccountRow> accountsWithPrefix(String prefix) {
        return jdbc.query(
                "select " + ACCOUNT_COLUMNS + " from ledger_account where starts_with(code, ?) order by code",
                LedgerStore::account,
                prefix);
    }

    /** Locks the named accounts in id order, so concurrent postings cannot deadlock on them. */
    Map<String, AccountRow> lockAccounts(Collection<String> codes) {
        return jdbc.execute((ConnectionCallback<Map<String, AccountRow>>) con -> {
            try (var ps = con.prepareStatement(
                    "select " + ACCOUNT_COLUMNS + " from ledger_account where code = any (?) order by id for update")) {
                ps.setArray(1, con.createArrayOf("text", codes.toArray()));
                Map<String, AccountRow> accounts = new LinkedHashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        AccountRow row = account(rs, 0);
                        accounts.put(row.code(), row);
                    }
                }
                return accounts;
            }
        });
    }

    /**
     * Inserts the transactions whose ids are new and returns those ids. They are posted at the business calendar's
     * now, as payments and holds are dated, so that a posting's business day (the reports' periods) is the day of
     * the invoice or payment it records.
     */
    Set<UUID> insertTransactions(Collection<LedgerTransaction> transactions) {
        return jdbc.execute((ConnectionCallback<Set<UUID>>) con -> {
            int n = transactions.size();
            UUID[] ids = new UUID[n];
            String[] kinds = new String[n];
            String[] references = new String[n];
            int i = 0;
            for (LedgerTransaction t : transactions) {
                ids[i] = t.id();
                kinds[i] = t.kind();
                references[i++] = t.reference();
            }
            try (var ps = con.prepareStatement("insert into ledger_transaction (id, kind, reference, posted_at)"
                    + " select t.*, ? from unnest(?::uuid[], ?::text[], ?::text[]) as t"
                    + " on conflict (id) do nothing returning id")) {
                ps.setTimestamp(1, Timestamp.from(calendar.now()));
                ps.setArray(2, con.createArrayOf("uuid", ids));
                ps.setArray(3, con.createArrayOf("text", kinds));
                ps.setArray(4, con.createArrayOf("text", references));
                Set<UUID> inserted = new HashSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        inserted.add(rs.getObject(1, UUID.class));
                    }
                }
                return inserted;
            }
        });
    }

    void insertEntries(Collection<EntryRow> entries) {
        jdbc.execute((ConnectionCallback<Void>) con -> {
            int n = entries.size();
            UUID[] transactionIds = new UUID[n];
            Long[] accountIds = new Long[n];
            String[] sides = new String[n];
            Long[] amounts = new Long[n];
            String[] currencies = new String[n];
            int i = 0;
            for (EntryRow e : entries) {
                transactionIds[i] = e.transactionId();
                accountIds[i] = e.accountId();
                sides[i] = String.valueOf(e.side().code());
                amounts[i] = e.amount().minor();
                currencies[i++] = e.amount().currency().getCurrencyCode();
            }
            try (var ps = con.prepareStatement(
                    "insert into ledger_entry (transaction_id, account_id, side, amount, currency)"
                            + " select * from unnest(?::uuid[], ?::bigint[], ?::char(1)[], ?::bigint[], ?::char(3)[])")) {
                ps.setArray(1, con.createArrayOf("uuid", transactionIds));
                ps.setArray(2, array(con, "bigint", accountIds));
                ps.setArray(3, con.createArrayOf("text", sides));
                ps.setArray(4, array(con, "bigint", amounts));
                ps.setArray(5, con.createArrayOf("text", currencies));
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Adds posted debits and credits: account id -> {debits, credits}. */
    void addPosted(Map<Long, long[]> deltas) {
        jdbc.execute((ConnectionCallback<Void>) con -> {
            Long[] ids = new Long[deltas.size()];
            Long[] debits = new Long[ids.length];
            Long[] credits = new Long[ids.length];
            int i = 0;
            for (var e : deltas.entrySet()) {
                ids[i] = e.getKey();
                debits[i] = e.getValue()[0];
                credits[i++] = e.getValue()[1];
            }
            try (var ps = con.prepareStatement("update ledger_account a"
                    + " set debits_posted = a.debits_posted + d.debits, credits_posted = a.credits_posted + d.credits"
                    + " from unnest(?::bigint[], ?::bigint[], ?::bigint[]) as d (id, debits, credits)"
                    + " where a.id = d.id")) {
                ps.setArray(1, array(con, "bigint", ids));
                ps.setArray(2, array(con, "bigint", debits));
                ps.setArray(3, array(con, "bigint", credits));
                ps.executeUpdate();
            }
            return null;
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

    long lastEntryId() {
        Long last = jdbc.queryForObject("select max(id) from ledger_entry", Long.class);
        return last == null ? 0 : last;
    }

    java.util.List<LedgerEntryView> entries(String accountCode, long afterId, int limit) {
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

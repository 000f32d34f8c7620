package io.kopek.partition;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * A table partitioned by business day ({@code partition by range (business_date)}, made so by its owner's migration)
 * has one partition per day, {@code <table>_<yyyymmdd>}, holding {@code [day, day + 1)}, and no default partition.
 * A day's partition is made on demand, before the day's first rows are written ({@link #ensure}), and dropped whole
 * once the day is past its retention ({@link #drop}): a day of millions of rows goes in O(1), with no delete, no
 * vacuum after it, and no index left bloated.
 *
 * <p>Every method works on a connection of its own, outside the caller's transaction: a partition is made and
 * attached in a short transaction that commits before the caller's rows go in, and {@code DETACH ... CONCURRENTLY}
 * cannot run in a transaction at all. Nothing here locks the parent table against its readers and writers: a
 * partition is created apart and then attached ({@code ATTACH PARTITION} takes the parent's SHARE UPDATE EXCLUSIVE
 * lock; {@code CREATE TABLE ... PARTITION OF} would take ACCESS EXCLUSIVE, and wait behind every running import or
 * reconciliation), and detached concurrently.
 *
 * <p>Each owner calls it for its own tables only, through a service of its own (the intake for {@code registry_line},
 * the reconciliation for {@code reconciliation_result}); {@code TableOwnershipTest} holds a table named in a source
 * that uses this class to the same rule as the SQL in it.
 */
@Component
public class DayPartitions {

    /** A day's partition dropped: the table, the day, the partition's name and how many rows it held. */
    public record Dropped(String table, LocalDate day, String partition, long rows) {}

    /** Where a day's partition is: attached, half detached (a detach that did not finish), detached, or absent. */
    private enum State {
        ATTACHED,
        DETACHING,
        DETACHED,
        ABSENT
    }

    /** What a partition's table is named: room for {@code _yyyymmdd} within PostgreSQL's 63 characters. */
    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]{0,53}");

    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.BASIC_ISO_DATE;

    /**
     * The tables named like a day's partition of {@code table} in its schema, with their parents: attached, being
     * detached, or left detached by a drop that stopped before its {@code drop table}.
     */
    private static final String PARTITIONS = """
            select c.relname, i.inhparent = p.oid as attached, coalesce(i.inhdetachpending, false) as pending
            from pg_class p
            join pg_class c on c.relnamespace = p.relnamespace and c.relkind = 'r'
            left join pg_inherits i on i.inhrelid = c.oid
            where p.oid = to_regclass(?::text) and c.relname ~ ('^' || ? || '_[0-9]{8}$')""";

    private final DataSource dataSource;

    DayPartitions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The name of {@code table}'s partition of {@code day}. */
    public static String partition(String table, LocalDate day) {
        return checked(table) + "_" + day.format(SUFFIX);
    }

    /**
     * Makes {@code table}'s partition of {@code day} unless it is there: in a transaction of its own under an advisory
     * lock of the table and day, so that two processes writing the same new day make it once and both go on. A
     * partition that retention is dropping is not made again: that is an error.
     */
    public void ensure(String table, LocalDate day) {
        String partition = partition(table, day);
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            try {
                c.setAutoCommit(true);
                if (state(c, table, partition) == State.ATTACHED) {
                    return; // nearly always: each day's first writer makes it
                }
                c.setAutoCommit(false);
                try {
                    lock(c, "pg_advisory_xact_lock", table, day);
                    switch (state(c, table, partition)) {
                        case ATTACHED -> {}
                        case ABSENT -> {
                            String schema = schema(c, table);
                            String parent = quoted(schema, table);
                            String child = quoted(schema, partition);
                            execute(
                                    c,
                                    "create table " + child + " (like " + parent
                                            + " including defaults including constraints including storage"
                                            + " including compression)");
                            execute(
                                    c,
                                    "alter table " + parent + " attach partition " + child + " for values from ('" + day
                                            + "') to ('" + day.plusDays(1) + "')");
                        }
                        case DETACHING, DETACHED ->
                            throw new IllegalStateException(
                                    partition + " is being dropped (retention): its day cannot take rows now");
                    }
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot make " + partition + ": " + e.getMessage(), e);
        }
    }

    /**
     * The days before {@code day} that {@code table} has a partition of, oldest first, those that a drop left
     * detached and not yet dropped included.
     */
    public List<LocalDate> olderThan(String table, LocalDate day) {
        checked(table);
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(PARTITIONS)) {
            s.setString(1, table);
            s.setString(2, table);
            List<LocalDate> days = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString("relname");
                    LocalDate of = LocalDate.parse(name.substring(name.length() - 8), SUFFIX);
                    if (of.isBefore(day)) {
                        days.add(of);
                    }
                }
            }
            days.sort(null);
            return days;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list the partitions of " + table + ": " + e.getMessage(), e);
        }
    }

    /**
     * Detaches {@code table}'s partition of {@code day} concurrently (readers and writers of other days go on; the
     * detach waits for the queries that may still read it), counts its rows and drops it. A drop that stopped half
     * way (the process died between the detach's two transactions, or before the drop) is finished: this day's, and
     * any other day's unfinished detach, which would refuse this one. The count reads the detached day once (some
     * seconds for a day of millions of rows, nobody waiting on it): what went is said in rows. Empty when the day has
     * no partition.
     */
    public Optional<Dropped> drop(String table, LocalDate day) {
        String partition = partition(table, day);
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(true); // DETACH ... CONCURRENTLY refuses a transaction block
            // Session-scoped: the detach commits twice. Drops of a table one at a time; and the day's key as ensure's,
            // so a day is never made while it is dropped.
            lock(c, "pg_advisory_lock", table, null);
            lock(c, "pg_advisory_lock", table, day);
            try {
                String schema = schema(c, table);
                String parent = quoted(schema, table);
                // A detach that stopped half way is finished first: PostgreSQL detaches no partition concurrently
                // while another's detach is pending.
                for (String pending : pending(c, table)) {
                    execute(c, "alter table " + parent + " detach partition " + quoted(schema, pending) + " finalize");
                }
                State state = state(c, table, partition);
                if (state == State.ABSENT) {
                    return Optional.empty();
                }
                String child = quoted(schema, partition);
                if (state == State.ATTACHED) {
                    execute(c, "alter table " + parent + " detach partition " + child + " concurrently");
                }
                long rows;
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("select count(*) from " + child)) {
                    rs.next();
                    rows = rs.getLong(1);
                }
                execute(c, "drop table " + child);
                return Optional.of(new Dropped(table, day, partition, rows));
            } finally {
                lock(c, "pg_advisory_unlock", table, day);
                lock(c, "pg_advisory_unlock", table, null);
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop " + partition + ": " + e.getMessage(), e);
        }
    }

    /** {@link #drop}s every partition of {@code table} before {@code horizon}, oldest first. */
    public List<Dropped> dropOlderThan(String table, LocalDate horizon) {
        List<Dropped> dropped = new ArrayList<>();
        for (LocalDate day : olderThan(table, horizon)) {
            drop(table, day).ifPresent(dropped::add);
        }
        return dropped;
    }

    private static State state(Connection c, String table, String partition) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(PARTITIONS + " and c.relname = ?")) {
            s.setString(1, table);
            s.setString(2, table);
            s.setString(3, partition);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return State.ABSENT;
                }
                if (!rs.getBoolean("attached")) {
                    return State.DETACHED;
                }
                return rs.getBoolean("pending") ? State.DETACHING : State.ATTACHED;
            }
        }
    }

    /** The partitions of {@code table} whose detach did not finish. */
    private static List<String> pending(Connection c, String table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(PARTITIONS + " and i.inhdetachpending")) {
            s.setString(1, table);
            s.setString(2, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString("relname"));
                }
            }
        }
        return names;
    }

    private static String schema(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select n.nspname from pg_class t"
                + " join pg_namespace n on n.oid = t.relnamespace where t.oid = to_regclass(?::text)")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("no table " + table);
                }
                return rs.getString(1);
            }
        }
    }

    /** An advisory lock of the table's day, or of the table's drops when {@code day} is null. */
    private static void lock(Connection c, String function, String table, LocalDate day) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("select " + function + "(hashtext('day_partition'), hashtext(? || '/' || ?))")) {
            s.setString(1, table);
            s.setString(2, day == null ? "drops" : day.toString());
            s.execute();
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String quoted(String schema, String name) {
        return '"' + schema.replace("\"", "\"\"") + "\".\"" + name + '"';
    }

    private static String checked(String table) {
        if (table == null || !TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("not a table's name: " + table);
        }
        return table;
    }
}

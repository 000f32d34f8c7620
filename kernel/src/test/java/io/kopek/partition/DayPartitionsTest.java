package io.kopek.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kopek.testing.ScratchDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Day partitions on a real PostgreSQL, in a schema of their own (as Kopek's tables are in {@code kopek}): made once
 * however many writers ask at once, made while others write the table, and dropped whole, a drop that stopped half
 * way included.
 */
class DayPartitionsTest {

    static final LocalDate DAY = LocalDate.of(2026, 11, 24);

    static ScratchDatabase database;
    static DriverManagerDataSource dataSource;

    DayPartitions partitions = new DayPartitions(dataSource);

    @BeforeAll
    static void database() throws SQLException {
        database = ScratchDatabase.create("kopek_partition_test");
        String url = database.url();
        dataSource = new DriverManagerDataSource(url + (url.contains("?") ? "&" : "?") + "currentSchema=books");
        try (Connection c = dataSource.getConnection()) {
            sql(c, "create schema books");
        }
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @BeforeEach
    void aTableOfDays() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            sql(c, "drop table if exists entry cascade");
            for (String leftover : strings(c, "select tablename from pg_tables where tablename ~ '^entry_'")) {
                sql(c, "drop table books." + leftover);
            }
            sql(
                    c,
                    "create table entry (id bigint not null, amount bigint not null check (amount > 0),"
                            + " note text default 'none', business_date date not null) partition by range (business_date)");
            sql(c, "create index entry_id on entry (id)");
        }
    }

    @Test
    void aDaysPartitionIsMadeOnceWhenManyWritersAskAtOnceAndTakesTheDaysRows() throws Exception {
        int writers = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> asked = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            for (int i = 0; i < writers; i++) {
                asked.add(pool.submit(() -> {
                    start.await();
                    partitions.ensure("entry", DAY);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : asked) {
                f.get(30, TimeUnit.SECONDS); // none failed
            }
        }
        try (Connection c = dataSource.getConnection()) {
            sql(c, "insert into entry (id, amount, business_date) values (1, 100, '2026-11-24')");

            assertThat(
                            strings(
                                    c,
                                    "select c.relname || ' ' || n.nspname || ' ' || pg_get_expr(c.relpartbound, c.oid)"
                                            + " from pg_inherits i join pg_class c on c.oid = i.inhrelid"
                                            + " join pg_namespace n on n.oid = c.relnamespace where i.inhparent = 'books.entry'::regclass"))
                    .containsExactly("entry_20261124 books FOR VALUES FROM ('2026-11-24') TO ('2026-11-25')");
            assertThat(strings(c, "select tableoid::regclass::text || ' ' || note from entry"))
                    .containsExactly("entry_20261124 none");
            // the parent's index and check, on the partition too
            assertThat(strings(c, "select indexname from pg_indexes where tablename = 'entry_20261124'"))
                    .hasSize(1);
            assertThatThrownBy(
                            () -> sql(c, "insert into entry (id, amount, business_date) values (2, -1, '2026-11-24')"))
                    .hasMessageContaining("check constraint");
            // no default partition: a day without its partition is refused, not kept aside
            assertThatThrownBy(
                            () -> sql(c, "insert into entry (id, amount, business_date) values (3, 1, '2026-11-25')"))
                    .hasMessageContaining("no partition");
        }
    }

    @Test
    void aDayIsMadeWhileAnotherTransactionWritesTheTable() throws Exception {
        partitions.ensure("entry", DAY);
        try (Connection writer = dataSource.getConnection()) {
            writer.setAutoCommit(false);
            sql(writer, "insert into entry (id, amount, business_date) values (1, 100, '2026-11-24')");

            // CREATE TABLE ... PARTITION OF would wait for the writer's commit (ACCESS EXCLUSIVE on the parent)
            CompletableFuture<Void> next =
                    CompletableFuture.runAsync(() -> partitions.ensure("entry", DAY.plusDays(1)));

            assertThat(next).succeedsWithin(Duration.ofSeconds(10));
            writer.commit();
        }
        assertThat(partitions.olderThan("entry", LocalDate.of(2027, 1, 1))).containsExactly(DAY, DAY.plusDays(1));
    }

    @Test
    void theOldDaysAreDroppedWholeWithTheirRowsCountedAndAHalfFinishedDropIsFinished() throws Exception {
        for (int d = 0; d < 5; d++) {
            partitions.ensure("entry", DAY.plusDays(d));
        }
        try (Connection c = dataSource.getConnection()) {
            sql(
                    c,
                    "insert into entry (id, amount, business_date)"
                            + " select g, 1, date '2026-11-24' + (g % 5) from generate_series(1, 100) g");
            // a drop that died after its detach, before dropping the table
            sql(c, "alter table entry detach partition entry_20261125");
        }
        leaveADetachHalfDone("entry_20261126");

        assertThat(partitions.olderThan("entry", DAY.plusDays(3)))
                .containsExactly(DAY, DAY.plusDays(1), DAY.plusDays(2));
        var dropped = partitions.dropOlderThan("entry", DAY.plusDays(3));

        assertThat(dropped)
                .extracting(DayPartitions.Dropped::partition, DayPartitions.Dropped::rows)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("entry_20261124", 20L),
                        org.assertj.core.groups.Tuple.tuple("entry_20261125", 20L),
                        org.assertj.core.groups.Tuple.tuple("entry_20261126", 20L));
        assertThat(partitions.olderThan("entry", LocalDate.of(2027, 1, 1)))
                .containsExactly(DAY.plusDays(3), DAY.plusDays(4));
        try (Connection c = dataSource.getConnection()) {
            assertThat(strings(c, "select count(*)::text from entry")).containsExactly("40");
            assertThat(strings(c, "select tablename from pg_tables where tablename ~ '^entry_' order by 1"))
                    .containsExactly("entry_20261127", "entry_20261128");
        }
        assertThat(partitions.drop("entry", DAY)).isEmpty();
    }

    @Test
    void aDayBeingDroppedIsNotMadeAgain() throws Exception {
        partitions.ensure("entry", DAY);
        leaveADetachHalfDone("entry_20261124");

        assertThatThrownBy(() -> partitions.ensure("entry", DAY)).hasMessageContaining("being dropped");
    }

    @Test
    void onlyATablesNameIsTaken() {
        assertThatThrownBy(() -> partitions.ensure("entry; drop table entry", DAY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> partitions.ensure("no_such_table", DAY)).hasMessageContaining("no table");
    }

    /**
     * A {@code DETACH ... CONCURRENTLY} cancelled in its second transaction, as a process killed there leaves it: the
     * partition marked as being detached.
     */
    private static void leaveADetachHalfDone(String partition) throws Exception {
        try (Connection reader = dataSource.getConnection();
                Connection detacher = dataSource.getConnection()) {
            reader.setAutoCommit(false);
            sql(reader, "select count(*) from entry"); // a snapshot the detach waits for
            long pid = Long.parseLong(
                    strings(detacher, "select pg_backend_pid()::text").getFirst());
            CompletableFuture<Void> detach = CompletableFuture.runAsync(() -> {
                try {
                    sql(detacher, "alter table entry detach partition " + partition + " concurrently");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Connection watcher = dataSource.getConnection()) {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (strings(
                                watcher,
                                "select 1 from pg_inherits where inhdetachpending and inhrelid = 'books." + partition
                                        + "'::regclass")
                        .isEmpty()) {
                    assertThat(System.nanoTime()).as("the detach began").isLessThan(deadline);
                    Thread.sleep(50);
                }
                sql(watcher, "select pg_cancel_backend(" + pid + ")");
            }
            assertThat(detach).failsWithin(Duration.ofSeconds(10));
            reader.commit();
        }
    }

    private static void sql(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}

package io.kopek.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kopek.testing.Migrations;
import io.kopek.testing.ScratchDatabase;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code ingest/V10.6} on a database of the version before: registry lines of several days, in files of several
 * providers, become the day partitions of {@code registry_line} with nothing lost, and what the intake publishes
 * reads the same.
 */
class LinesPartitionedByDayMigrationTest {

    /** What registry_imported_line shows, in a stable order. */
    static final String PUBLISHED = "select provider, business_date::text, file_id, line_no, provider_payment_id,"
            + " order_number, operation, amount, commission, settled_amount, currency, operated_at::text"
            + " from registry_imported_line order by file_id, line_no";

    @Test
    void linesOfSeveralDaysBecomeTheirDaysPartitionsAndReadTheSame() {
        try (ScratchDatabase database = ScratchDatabase.create("kopek_v10_6_test")) {
            DataSource dataSource = Migrations.kopekSchema(database);
            Migrations.migrate(dataSource, "10.5");
            JdbcClient jdbc = JdbcClient.create(dataSource);
            long a = file(jdbc, "acmepay", "2026-11-20", "imported");
            long b = file(jdbc, "acmepay", "2026-11-21", "imported");
            long c = file(jdbc, "betapay", "2026-11-21", "imported");
            long d = file(jdbc, "betapay", "2026-11-23", "imported");
            file(jdbc, "betapay", null, "quarantined"); // no lines: nothing kept of it
            lines(jdbc, a, 3);
            lines(jdbc, b, 5);
            lines(jdbc, c, 2);
            lines(jdbc, d, 4);
            jdbc.sql("insert into registry_file_total (file_id, currency, lines, commission, settled_amount)"
                            + " select file_id, currency, count(*), sum(commission), sum(settled_amount)"
                            + " from registry_line group by file_id, currency")
                    .update();
            List<Map<String, Object>> published = jdbc.sql(PUBLISHED).query().listOfRows();
            List<Map<String, Object>> days = jdbc.sql("select * from registry_imported_day order by 1, 2, 3")
                    .query()
                    .listOfRows();

            Migrations.migrate(dataSource, null);

            assertThat(jdbc.sql(PUBLISHED).query().listOfRows()).hasSize(14).isEqualTo(published);
            assertThat(jdbc.sql("select * from registry_imported_day order by 1, 2, 3")
                            .query()
                            .listOfRows())
                    .isEqualTo(days);
            assertThat(jdbc.sql("select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid"
                                    + " where i.inhparent = 'kopek.registry_line'::regclass order by 1")
                            .query(String.class)
                            .list())
                    .containsExactly("registry_line_20261120", "registry_line_20261121", "registry_line_20261123");
            assertThat(jdbc.sql("select tableoid::regclass::text || ' ' || business_date || ' ' || count(*)"
                                    + " from registry_line group by tableoid, business_date order by 1")
                            .query(String.class)
                            .list())
                    .containsExactly(
                            "registry_line_20261120 2026-11-20 3",
                            "registry_line_20261121 2026-11-21 7",
                            "registry_line_20261123 2026-11-23 4");
            // the parent's index and card-number check are every partition's
            assertThat(jdbc.sql("select count(*) from pg_indexes where tablename like 'registry_line_2026%'")
                            .query(Long.class)
                            .single())
                    .isEqualTo(3);
            assertThatThrownBy(() -> jdbc.sql("update registry_line set order_number = '4276 3800 1234 5679'"
                                    + " where file_id = ?")
                            .param(a)
                            .update())
                    .hasMessageContaining("registry_line_no_card_number");
        }
    }

    @Test
    void aLineWhoseFileHasNoDayStopsTheMigrationAndChangesNothing() {
        try (ScratchDatabase database = ScratchDatabase.create("kopek_v10_6_test")) {
            DataSource dataSource = Migrations.kopekSchema(database);
            Migrations.migrate(dataSource, "10.5");
            JdbcClient jdbc = JdbcClient.create(dataSource);
            lines(jdbc, file(jdbc, "acmepay", null, "received"), 2);

            assertThatThrownBy(() -> Migrations.migrate(dataSource, null))
                    .hasStackTraceContaining("2 registry lines belong to no file with a business date");
            assertThat(jdbc.sql("select count(*) from registry_line")
                            .query(Long.class)
                            .single())
                    .isEqualTo(2);
            assertThat(jdbc.sql("select count(*) from pg_partitioned_table")
                            .query(Long.class)
                            .single())
                    .isZero();
        }
    }

    private static long file(JdbcClient jdbc, String provider, String day, String status) {
        return jdbc.sql("insert into registry_file (provider, name, sha256, business_date, status)"
                        + " values (?, ?, sha256(random()::text::bytea), ?::date, ?) returning id")
                .params(provider, provider + "_" + day + ".csv", day, status)
                .query(Long.class)
                .single();
    }

    private static void lines(JdbcClient jdbc, long file, int count) {
        jdbc.sql("insert into registry_line (file_id, line_no, provider_payment_id, order_number, operation,"
                        + " amount, commission, settled_amount, currency, operated_at, card_mask)"
                        + " select ?, g + 1, 'p-' || ? || '-' || g, case when g % 2 = 0 then 'INV-' || g end,"
                        + " case when g % 3 = 2 then 'refund' else 'payment' end, 1000 + g, 25, 975 - g, 'RUB',"
                        + " timestamptz '2026-11-20 12:00+03' + g * interval '1 minute', '427600******1234'"
                        + " from generate_series(1, ?) g")
                .params(file, file, count)
                .update();
    }
}

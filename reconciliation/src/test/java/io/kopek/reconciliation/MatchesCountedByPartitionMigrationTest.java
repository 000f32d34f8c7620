package io.kopek.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.testing.Migrations;
import io.kopek.testing.ScratchDatabase;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code reconciliation/V12.6} on a database of the version before: a run open at the upgrade, some of its partitions
 * done, closes with the new tally, so its done partitions' matches by payment id are counted from their results; a
 * run already closed is left alone.
 */
class MatchesCountedByPartitionMigrationTest {

    @Test
    void theDonePartitionsOfARunOpenAtTheUpgradeHaveTheirMatchesCounted() {
        try (ScratchDatabase database = ScratchDatabase.create("kopek_v12_6_test")) {
            DataSource dataSource = Migrations.kopekSchema(database);
            Migrations.migrate(dataSource, "12.5");
            JdbcClient jdbc = JdbcClient.create(dataSource);
            jdbc.sql("create table reconciliation_result_20261120 partition of reconciliation_result"
                            + " for values from ('2026-11-20') to ('2026-11-21')")
                    .update();
            long open = run(jdbc, "running", 3);
            long closed = run(jdbc, "done", 3);
            for (long run : new long[] {open, closed}) {
                results(jdbc, run, 60);
                partitionDone(jdbc, run, 0);
                partitionDone(jdbc, run, 2); // partition 1 is still to do
            }

            Migrations.migrate(dataSource, null);

            List<String> counted = jdbc.sql("select run_id || ' ' || partition_no || ' ' || currency || ' ' || lines"
                            + " || ' ' || amount || ' ' || commission from reconciliation_partition_matched"
                            + " order by run_id, partition_no, currency")
                    .query(String.class)
                    .list();
            List<String> expected = jdbc.sql("select run_id || ' ' || b || ' ' || currency || ' ' || count(*)"
                            + " || ' ' || sum(registry_amount) || ' ' || sum(registry_commission)"
                            + " from (select r.*, reconciliation_bucket(r.provider_payment_id, 3) as b"
                            + "       from reconciliation_result r where run_id = ?) r"
                            + " where result = 'matched' and match_key = 'provider_payment_id' and b in (0, 2)"
                            + " group by run_id, b, currency order by run_id, b, currency")
                    .param(open)
                    .query(String.class)
                    .list();
            assertThat(expected)
                    .as("both done partitions matched something, in both currencies")
                    .hasSize(4);
            assertThat(counted).isEqualTo(expected);
        }
    }

    private static long run(JdbcClient jdbc, String status, int partitions) {
        return jdbc.sql("insert into reconciliation_run (provider, business_date, status, partitions)"
                        + " values ('acmepay', '2026-11-20', ?, ?) returning id")
                .params(status, partitions)
                .query(Long.class)
                .single();
    }

    private static void partitionDone(JdbcClient jdbc, long run, int partition) {
        jdbc.sql("insert into reconciliation_partition (run_id, partition_no, registry_lines, ledger_operations,"
                        + " registry_settles, registry_commission, ledger_expects) values (?, ?, 0, 0, 0, 0, 0)")
                .params(run, partition)
                .update();
    }

    /**
     * Matches by payment id in two currencies, a match by invoice number (the close's, not a partition's), and an
     * amount mismatch under a payment id, on payment ids of every partition.
     */
    private static void results(JdbcClient jdbc, long run, int count) {
        jdbc.sql("insert into reconciliation_result (run_id, business_date, result, file_id, line_no, payment_id,"
                        + " operation, provider_payment_id, match_key, registry_amount, ledger_amount,"
                        + " registry_commission, expected_commission, currency)"
                        + " select ?, '2026-11-20', case when g % 5 = 0 then 'amount_mismatch' else 'matched' end,"
                        + " 7, g, g, 'payment', 'p-' || g,"
                        + " case when g % 7 = 0 then 'invoice_number_amount' else 'provider_payment_id' end,"
                        + " 1000 + g, 1000 + g, 25 + g % 2, 25, case when g % 2 = 0 then 'RUB' else 'USD' end"
                        + " from generate_series(1, ?) g")
                .params(run, count)
                .update();
    }
}

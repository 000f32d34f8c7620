package io.kopek.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.testing.Migrations;
import io.kopek.testing.ScratchDatabase;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code reconciliation/V12.5} on a database of the version before: the results of runs of several days become the
 * day partitions of {@code reconciliation_result}, each with its run's day, nothing lost, and the published result
 * lines read the same (with the day beside).
 */
class ResultsPartitionedByDayMigrationTest {

    static final String PUBLISHED = "select run_id, result, file_id, line_no, payment_id, refund_id, operation,"
            + " provider_payment_id, match_key, registry_amount, ledger_amount, registry_commission,"
            + " expected_commission, currency, why, item_key from reconciliation_result_line"
            + " order by run_id, file_id nulls last, line_no, payment_id";

    @Test
    void resultsOfSeveralDaysBecomeTheirRunsDayPartitionsAndReadTheSame() {
        try (ScratchDatabase database = ScratchDatabase.create("kopek_v12_5_test")) {
            DataSource dataSource = Migrations.kopekSchema(database);
            Migrations.migrate(dataSource, "12.3");
            JdbcClient jdbc = JdbcClient.create(dataSource);
            long first = run(jdbc, "acmepay", "2026-11-20");
            long again = run(jdbc, "acmepay", "2026-11-20");
            long other = run(jdbc, "betapay", "2026-11-20");
            long later = run(jdbc, "acmepay", "2026-11-22");
            results(jdbc, first, 4);
            results(jdbc, again, 5);
            results(jdbc, other, 2);
            results(jdbc, later, 3);
            run(jdbc, "acmepay", "2026-11-21"); // a run with no results: no partition needed
            List<Map<String, Object>> published = jdbc.sql(PUBLISHED).query().listOfRows();

            Migrations.migrate(dataSource, "12.5");

            assertThat(jdbc.sql(PUBLISHED).query().listOfRows()).hasSize(14).isEqualTo(published);
            assertThat(jdbc.sql("select tableoid::regclass::text || ' ' || business_date || ' ' || count(*)"
                                    + " from reconciliation_result group by tableoid, business_date order by 1")
                            .query(String.class)
                            .list())
                    .containsExactly(
                            "reconciliation_result_20261120 2026-11-20 11",
                            "reconciliation_result_20261122 2026-11-22 3");
            assertThat(jdbc.sql("select count(*) from reconciliation_result_line r join reconciliation_run u"
                                    + " on u.id = r.run_id where u.business_date <> r.business_date")
                            .query(Long.class)
                            .single())
                    .isZero();
            // the block range index on the run and the partial index of the unmatched, on every partition
            assertThat(jdbc.sql("select indexdef from pg_indexes where tablename = 'reconciliation_result_20261122'"
                                    + " order by 1")
                            .query(String.class)
                            .list())
                    .hasSize(2)
                    .anySatisfy(d -> assertThat(d).contains("USING brin (run_id)"))
                    .anySatisfy(d -> assertThat(d).contains("WHERE (result <> 'matched'::text)"));
        }
    }

    private static long run(JdbcClient jdbc, String provider, String day) {
        return jdbc.sql("insert into reconciliation_run (provider, business_date, status, finished_at)"
                        + " values (?, ?::date, 'done', now()) returning id")
                .params(provider, day)
                .query(Long.class)
                .single();
    }

    private static void results(JdbcClient jdbc, long run, int count) {
        jdbc.sql("insert into reconciliation_result (run_id, result, file_id, line_no, payment_id, operation,"
                        + " provider_payment_id, match_key, registry_amount, ledger_amount, registry_commission,"
                        + " expected_commission, currency, why)"
                        + " select ?, case when g % 3 = 0 then 'missing_in_registry' else 'matched' end,"
                        + " case when g % 3 = 0 then null else 7 end, case when g % 3 = 0 then null else g end,"
                        + " 100 * ? + g, 'payment', 'p-' || g, case when g % 3 = 0 then null else 'provider_payment_id' end,"
                        + " case when g % 3 = 0 then null else 1000 + g end, 1000 + g, 25, 25, 'RUB',"
                        + " case when g % 3 = 0 then 'no line of the registry matches it' end"
                        + " from generate_series(1, ?) g")
                .params(run, run, count)
                .update();
    }
}

package io.kopek.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.batch.retention.PartitionRetentionJob;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.partition.DayPartitions;
import io.kopek.reconciliation.Discrepancies;
import io.kopek.reconciliation.Discrepancy;
import io.kopek.reconciliation.Reconciliation;
import io.kopek.reconciliation.ReconciliationRun;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code partitionRetention} with a horizon of ten days: the registry lines' and the results' day partitions before
 * it are detached and dropped, the horizon's day and later ones stay, and so does an old day with a discrepancy still
 * open; a run that fails half way is restarted and finishes with every drop in its summary.
 */
@TestPropertySource(
        properties = {
            "kopek.retention.registry-lines=10d",
            "kopek.retention.reconciliation-results=10d",
            "kopek.retention.after-reporting-year=false"
        })
class PartitionRetentionJobTest extends BatchTest {

    @Autowired
    Reconciliation reconciliation;

    @Autowired
    Discrepancies discrepancies;

    @Autowired
    DayPartitions partitions;

    @Autowired
    BusinessCalendar calendar;

    String provider;
    LocalDate today;

    @BeforeEach
    void aProviderOfItsOwn() {
        provider = "ret" + UUID.randomUUID().toString().substring(0, 8);
        today = calendar.today();
    }

    /**
     * This test's runs announce nothing to the tests after it: each reconciliation.completed asks for two reports,
     * which a later test's report dispatch would start all at once, a job run each, and wait for connections.
     */
    @AfterEach
    void itsRunsAnnouncementsTakenBack() {
        int taken = jdbc.sql(
                        "delete from outbox_event where type = 'reconciliation.completed' and payload ->> 'provider' = ?")
                .param(provider)
                .update();
        assertThat(taken).as("the runs' events, found by their provider").isPositive();
    }

    /** A day's registry with {@code lines} lines none of which the ledger has, reconciled; its discrepancies open. */
    void reconciledDay(LocalDate day, int lines) {
        partitions.ensure("registry_line", day); // as the import makes it
        long file = jdbc.sql("insert into registry_file (provider, name, sha256, business_date, status)"
                        + " values (?, ?, ?, ?, 'imported') returning id")
                .params(provider, "registry-" + UUID.randomUUID() + ".csv", new byte[32], day)
                .query(Long.class)
                .single();
        for (int i = 1; i <= lines; i++) {
            jdbc.sql("insert into registry_line (business_date, file_id, line_no, provider_payment_id, operation,"
                            + " amount, commission, settled_amount, currency, operated_at)"
                            + " values (?, ?, ?, ?, 'payment', 1000, 25, 975, 'RUB', ?)")
                    // colons part the digit runs: the provider's hex tail, the day and the line number run together
                    // by dashes could pass the Luhn check as a card number, which registry_line refuses
                    .params(day, file, i, provider + ":" + day + ":p" + i, Timestamp.from(calendar.now()))
                    .update();
        }
        reconciliation.run(provider, day);
    }

    /** Its discrepancies resolved: nothing holds the day any more. */
    void settled(LocalDate day) {
        for (Discrepancy d : discrepancies.list(provider, day, "open", 0, 100)) {
            discrepancies.resolve(d.id(), "test accountant", "written off");
        }
    }

    List<LocalDate> lineDays() {
        return partitions.olderThan("registry_line", today.plusDays(1));
    }

    List<LocalDate> resultDays() {
        return partitions.olderThan("reconciliation_result", today.plusDays(1));
    }

    static String partition(String table, LocalDate day) {
        return table + "_" + day.format(DateTimeFormatter.BASIC_ISO_DATE);
    }

    @Test
    void theDaysBeforeTheHorizonAreDroppedTheRestAndAnOpenDayStayAndAKeptDayStillReconciles() {
        LocalDate horizon = today.minusDays(10);
        List<LocalDate> old = List.of(today.minusDays(40), today.minusDays(20), today.minusDays(11));
        LocalDate open = today.minusDays(30);
        List<LocalDate> kept = List.of(horizon, today.minusDays(3));
        for (LocalDate day : old) {
            reconciledDay(day, 2);
            settled(day);
        }
        reconciledDay(open, 1);
        for (LocalDate day : kept) {
            reconciledDay(day, 3);
            settled(day);
        }
        ReconciliationRun before = reconciliation.run(provider, horizon);

        JobRun run = run(PartitionRetentionJob.NAME);

        assertThat(run.status()).as(run.exitDescription()).isEqualTo("COMPLETED");
        assertThat(lineDays()).doesNotContainAnyElementsOf(old).contains(open).containsAll(kept);
        assertThat(resultDays()).doesNotContainAnyElementsOf(old).contains(open).containsAll(kept);
        assertThat(lineDays()).filteredOn(d -> d.isBefore(horizon)).allMatch(this::heldByAnOpenDiscrepancy);
        assertThat(resultDays()).filteredOn(d -> d.isBefore(horizon)).allMatch(this::heldByAnOpenDiscrepancy);
        assertThat(run.summary())
                .containsEntry("registryLines.horizon", horizon.toString())
                .containsEntry("reconciliationResults.horizon", horizon.toString());
        for (LocalDate day : old) {
            assertThat((String) run.summary().get("registryLines.dropped"))
                    .contains(partition("registry_line", day) + " (2 rows)");
            assertThat((String) run.summary().get("reconciliationResults.dropped"))
                    .contains(partition("reconciliation_result", day) + " (2 rows)");
        }
        assertThat((String) run.summary().get("registryLines.held")).contains(open.toString());
        assertThat((Long) run.summary().get("registryLines.partitions")).isGreaterThanOrEqualTo(3);
        assertThat((Long) run.summary().get("registryLines.rows")).isGreaterThanOrEqualTo(6);
        // what stays of a dropped day: its file, its runs with their summaries
        assertThat(jdbc.sql("select count(*) from registry_file where provider = ? and business_date = ?")
                        .params(provider, old.getFirst())
                        .query(Long.class)
                        .single())
                .isOne();
        // the kept day reconciles as before: its lines and results are all there
        ReconciliationRun after = reconciliation.run(provider, horizon);
        assertThat(after.summary().results()).isEqualTo(before.summary().results());
        assertThat(reconciliation.results(after.id(), null, 0, 100)).hasSize(3);
    }

    @Test
    void aRunThatFailedHalfWayIsRestartedAndFinishesWithEveryDropInItsSummary() {
        List<LocalDate> old = List.of(today.minusDays(62), today.minusDays(61), today.minusDays(60));
        for (LocalDate day : old) {
            reconciledDay(day, 2);
            settled(day);
        }
        String blocked = partition("registry_line", old.get(1));
        // something of someone else's reads the second day: its partition is detached, then cannot be dropped
        jdbc.sql("create view retention_blocker as select * from " + blocked).update();

        JobRun failed;
        try {
            failed = run(PartitionRetentionJob.NAME);
        } finally {
            jdbc.sql("drop view retention_blocker").update();
        }
        JobRun restarted = jobs.awaitEnd(jobs.restart(failed.id()).id(), RUN_TIMEOUT);

        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.steps().getFirst().error()).contains(blocked);
        assertThat(restarted.status()).as(restarted.exitDescription()).isEqualTo("COMPLETED");
        assertThat(lineDays()).doesNotContainAnyElementsOf(old);
        assertThat(resultDays()).doesNotContainAnyElementsOf(old);
        assertThat(jdbc.sql("select count(*) from pg_tables where tablename = ?")
                        .param(blocked)
                        .query(Long.class)
                        .single())
                .as("the detached partition left behind is dropped too")
                .isZero();
        for (LocalDate day : old) {
            assertThat((String) restarted.summary().get("registryLines.dropped"))
                    .contains(partition("registry_line", day) + " (2 rows)");
        }
    }

    private boolean heldByAnOpenDiscrepancy(LocalDate day) {
        return discrepancies.openDaysBefore(day.plusDays(1)).contains(day);
    }
}

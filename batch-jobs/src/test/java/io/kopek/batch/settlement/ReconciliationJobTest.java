package io.kopek.batch.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.BatchTestApplication;
import io.kopek.batch.JobRun;
import io.kopek.batch.Jobs;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.NewCustomer;
import io.kopek.partition.DayPartitions;
import io.kopek.reconciliation.Reconciliation;
import io.kopek.reconciliation.ReconciliationRun;
import io.kopek.reconciliation.ResultLine;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code reconciliation} job with its partitions on local threads (the default mode): five partitions give what
 * one gives, and a restart after a partition failed runs that partition alone.
 */
@SpringBootTest(
        classes = BatchTestApplication.class,
        properties = {"kopek.reconciliation.partitions=5", "kopek.reconciliation.threads=2"})
class ReconciliationJobTest {

    static final Duration TIMEOUT = Duration.ofMinutes(2);
    static final int PAYMENTS = 400;

    @Autowired
    Jobs jobs;

    @Autowired
    Reconciliation reconciliation;

    @Autowired
    Customers customers;

    @Autowired
    BusinessCalendar calendar;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DayPartitions partitions;

    String provider;
    LocalDate day;

    @BeforeEach
    void aProviderOfItsOwn() {
        provider = "rj" + UUID.randomUUID().toString().substring(0, 8);
        // Long past: the other tests of this database (the chain's missed days, the unfiscalized check) look at
        // recent days only.
        day = LocalDate.of(2025, 3, 14);
    }

    /**
     * The day's card payments and the provider's registry of them: most match by payment id, every tenth line has
     * the amount wrong, every 25th payment is missing from the registry, and the registry has lines the ledger does
     * not (the last ones), each with its commission.
     */
    void aDay() {
        long customer = customers
                .create(new NewCustomer(CustomerType.INDIVIDUAL, "Buyer", "buyer@example.ru", null, null))
                .id();
        Instant noon = day.atTime(12, 0).atZone(calendar.zone()).toInstant();
        jdbc.sql(
                        "insert into payment (customer_id, purpose, method, provider, status, amount, currency,"
                                + " provider_payment_id, created_at) select ?, 'top_up', 'card', ?, 'succeeded', 10000 + g * 7,"
                                + " 'RUB', ? || '-' || g, ?::timestamptz + g * interval '1 second' from generate_series(0, ? - 1) g")
                .params(customer, provider, provider, Timestamp.from(noon), PAYMENTS)
                .update();
        partitions.ensure("registry_line", day); // as the import makes it before it writes the lines
        long file = jdbc.sql("insert into registry_file (provider, name, sha256, business_date, status)"
                        + " values (?, ?, ?, ?, 'imported') returning id")
                .params(provider, "registry-" + provider + ".csv", new byte[32], day)
                .query(Long.class)
                .single();
        jdbc.sql("insert into registry_line (business_date, file_id, line_no, provider_payment_id, order_number,"
                        + " operation, amount, commission, settled_amount, currency, operated_at)"
                        + " select ?, ?, g + 1, ? || '-' || g, null, 'payment',"
                        + " 10000 + g * 7 + case when g % 10 = 3 then 1 else 0 end, 100, 10000 + g * 7 - 100, 'RUB',"
                        + " ?::timestamptz + g * interval '1 second'"
                        + " from generate_series(0, ? - 1) g where g % 25 <> 7 or g >= ?")
                .params(day, file, provider, Timestamp.from(noon), PAYMENTS + PAYMENTS / 10, PAYMENTS)
                .update();
    }

    JobRun start() {
        return jobs.run(ReconciliationJob.NAME, Map.of("provider", provider, "businessDate", day.toString()), TIMEOUT);
    }

    /** A run's results without the run's id, sorted. */
    List<String> results(long run) {
        return reconciliation.results(run, null, 0, 100_000).stream()
                .map(r -> new ResultLine(
                                0,
                                r.result(),
                                r.fileId(),
                                r.lineNo(),
                                r.paymentId(),
                                r.refundId(),
                                r.operation(),
                                r.providerPaymentId(),
                                r.matchKey(),
                                r.registryAmount(),
                                r.ledgerAmount(),
                                r.registryCommission(),
                                r.expectedCommission(),
                                r.currency(),
                                r.why())
                        .toString())
                .sorted()
                .toList();
    }

    /** The same day in one partition, in this thread: the reference. */
    ReconciliationRun inOnePartition() {
        long run = reconciliation.open(provider, day, 1);
        reconciliation.matchPartition(run, 0);
        return reconciliation.close(run);
    }

    static long runId(JobRun run) {
        return ((Number) run.summary().get("reconciliationRunId")).longValue();
    }

    /** How many times each partition of the job run's instance was executed, by partition name. */
    Map<String, Long> executionsPerPartition(JobRun run) {
        return jdbc
                .sql("select s.step_name from batch_step_execution s"
                        + " join batch_job_execution e on e.job_execution_id = s.job_execution_id"
                        + " where e.job_instance_id = ? and s.step_name like 'matchPartition:%'")
                .param(run.instanceId())
                .query(String.class)
                .list()
                .stream()
                .collect(Collectors.groupingBy(name -> name, Collectors.counting()));
    }

    @Test
    void fivePartitionsOnLocalThreadsGiveWhatOnePartitionGives() {
        aDay();

        ReconciliationRun one = inOnePartition();
        JobRun five = start();

        assertThat(five.status()).as(five.exitDescription()).isEqualTo("COMPLETED");
        assertThat(five.steps())
                .extracting(JobRun.Step::name)
                .startsWith("openRun", "matchPartitions")
                .contains("matchPartition:partition0", "matchPartition:partition4", "closeRun");
        assertThat(reconciliation.partitions(runId(five))).isEqualTo(5);
        assertThat(executionsPerPartition(five))
                .hasSize(5)
                .allSatisfy((name, n) -> assertThat(n).isEqualTo(1));
        List<String> expected = results(one.id());
        assertThat(expected).hasSize(one.registryLines() + PAYMENTS / 25);
        assertThat(results(runId(five))).isEqualTo(expected);
        assertThat(five.summary())
                .containsEntry("matched", one.summary().results().get("matched").count())
                .containsEntry(
                        "amount_mismatch",
                        one.summary().results().get("amount_mismatch").count())
                .containsEntry(
                        "missing_in_registry",
                        one.summary().results().get("missing_in_registry").count())
                .containsEntry(
                        "missing_in_ledger",
                        one.summary().results().get("missing_in_ledger").count());
        assertThat(one.summary().results().keySet()).contains("matched", "amount_mismatch", "missing_in_registry");
    }

    @Test
    void aRestartAfterAPartitionFailedRunsThatPartitionAlone() {
        aDay();
        ReconciliationRun one = inOnePartition();
        // Partition 3 of this provider's runs fails in the database, as a partition would on any error of its own.
        String trigger = "fail_" + provider;
        jdbc.sql("create or replace function fail_partition_for_test() returns trigger language plpgsql as $$"
                        + " begin raise exception 'partition % refused by the test', new.partition_no; end $$")
                .update();
        jdbc.sql("create trigger " + trigger + " before insert on reconciliation_partition for each row"
                        + " when (new.partition_no = 3) execute function fail_partition_for_test()")
                .update();
        JobRun failed;
        try {
            failed = start();
        } finally {
            jdbc.sql("drop trigger " + trigger + " on reconciliation_partition").update();
        }

        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.steps())
                .filteredOn(s -> s.name().equals("matchPartition:partition3"))
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.status()).isEqualTo("FAILED");
                    assertThat(s.error()).contains("insert into reconciliation_partition");
                });
        assertThat(failed.steps())
                .filteredOn(
                        s -> s.name().startsWith("matchPartition:") && !s.name().endsWith("3"))
                .hasSize(4)
                .allSatisfy(s -> assertThat(s.status()).isEqualTo("COMPLETED"));
        assertThat(failed.steps()).extracting(JobRun.Step::name).doesNotContain("closeRun");

        JobRun restarted = jobs.awaitEnd(jobs.restart(failed.id()).id(), TIMEOUT);

        assertThat(restarted.status()).as(restarted.exitDescription()).isEqualTo("COMPLETED");
        assertThat(restarted.steps())
                .extracting(JobRun.Step::name)
                .as("the run opened before is kept; only the failed partition runs again")
                .doesNotContain("openRun")
                .contains("matchPartition:partition3", "closeRun")
                .doesNotContain(
                        "matchPartition:partition0",
                        "matchPartition:partition1",
                        "matchPartition:partition2",
                        "matchPartition:partition4");
        assertThat(executionsPerPartition(restarted))
                .containsEntry("matchPartition:partition3", 2L)
                .containsEntry("matchPartition:partition0", 1L)
                .containsEntry("matchPartition:partition4", 1L);
        assertThat(runId(restarted)).isEqualTo(runId(failed));
        assertThat(results(runId(restarted))).isEqualTo(results(one.id()));
    }
}

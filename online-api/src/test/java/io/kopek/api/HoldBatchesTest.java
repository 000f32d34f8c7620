package io.kopek.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.customer.CustomerType;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * The group commit of holds and captures: requests that queue while a batch runs are committed together in the
 * next, each on its own terms. A batch can be held up on purpose: a test transaction locks an invoice the first batch
 * needs, and the next requests queue behind it. Two committers, the second starting a batch beside a running one only
 * from six requests: fewer wait for the held-up batch, and the lock's release lets them go as one. After a refusal in
 * the database, one batch of several runs item by item before batches run without a subtransaction per item again.
 */
@TestPropertySource(
        properties = {
            "kopek.api.group-commit.committers=2",
            "kopek.api.group-commit.overlap-min-items=6",
            "kopek.api.group-commit.item-scope-after-a-refusal=1"
        })
@Import(HoldBatchesTest.Meters.class)
class HoldBatchesTest extends ApiTest {

    @TestConfiguration
    static class Meters {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    final ExecutorService threads = Executors.newCachedThreadPool();

    long invoice(long balance) {
        long customer = customer(CustomerType.INDIVIDUAL);
        topUp(customer, balance);
        return order(accountant, customer, product(500_00), 1).id();
    }

    ApiClient.Response hold(long invoice, String key) {
        return accountant.post("/api/v1/holds", "{\"invoice_id\":" + invoice + "}", key);
    }

    @Test
    void holdsThatQueueWhileABatchRunsAreCommittedTogetherEachOnItsOwnTerms() throws Exception {
        rule(0, true, 0);
        long blocked = invoice(1_000_00), first = invoice(1_000_00), second = invoice(1_000_00);
        long poor = invoice(100_00), repeated = invoice(1_000_00);
        long reused = invoice(1_000_00), reusedElsewhere = invoice(1_000_00);
        var earlier = hold(repeated, "repeated-hold");
        assertThat(earlier.status()).isEqualTo(201);
        assertThat(hold(reused, "reused-key").status()).isEqualTo(201);
        long batchesBefore = batches().count();
        double requestsBefore = batches().totalAmount();

        List<ApiClient.Response> answers = queuedBehind(
                blocked,
                () -> hold(blocked, "blocked-hold"),
                List.of(
                        () -> hold(first, "first-hold"),
                        () -> hold(second, "second-hold"),
                        () -> hold(poor, "poor-hold"),
                        () -> hold(repeated, "repeated-hold"),
                        // another request under a key that is taken: placed, found out as its record is written, undone
                        () -> hold(reusedElsewhere, "reused-key")));

        assertThat(answers.get(0).status()).isEqualTo(201);
        assertThat(answers.get(1).status()).isEqualTo(201);
        assertThat(answers.get(2).status()).isEqualTo(201);
        assertThat(answers.get(3).status()).isEqualTo(422);
        assertThat(answers.get(3).problemType()).isEqualTo("insufficient-funds");
        assertThat(answers.get(4).raw().body()).isEqualTo(earlier.raw().body());
        assertThat(answers.get(4).raw().headers().firstValue("Idempotent-Replayed"))
                .hasValue("true");
        assertThat(answers.get(5).status()).isEqualTo(422);
        assertThat(answers.get(5).problemType()).isEqualTo("idempotency-key-reused");
        assertThat(batches().count() - batchesBefore).isEqualTo(2);
        // the held-up one, then the five at once: the repeats took part in the batch, and answered as such
        assertThat(batches().totalAmount() - requestsBefore).isEqualTo(6);
        assertThat(activeHolds(first) + activeHolds(second) + activeHolds(blocked) + activeHolds(repeated))
                .isEqualTo(4);
        assertThat(activeHolds(poor) + activeHolds(reusedElsewhere)).isZero();
        assertThat(records("poor-hold")).isZero(); // refused, it left nothing: its key may be sent again
        assertThat(records("first-hold")).isOne();
        var again = hold(first, "first-hold");
        assertThat(again.raw().body()).isEqualTo(answers.get(1).raw().body());
    }

    @Test
    void capturesOfOneBatchAreEachTheirOwnAndARepeatedHoldWaitsForTheNextBatch() throws Exception {
        rule(0, true, 0);
        long blocked = invoice(1_000_00), first = invoice(1_000_00), captured = invoice(1_000_00);
        long blockedHold = hold(blocked, "b").id(), firstHold = hold(first, "f").id();
        long capturedHold = hold(captured, "c").id();
        assertThat(capture(capturedHold, "captured-before").status()).isEqualTo(200);

        List<ApiClient.Response> answers = queuedBehind(
                blocked,
                () -> capture(blockedHold, "blocked-capture"),
                List.of(
                        () -> capture(firstHold, "first-capture"),
                        () -> capture(firstHold, "first-capture-again"),
                        () -> capture(capturedHold, "captured-again")));

        assertThat(answers.get(0).status()).isEqualTo(200);
        assertThat(answers.subList(1, 3)).extracting(ApiClient.Response::status).containsExactlyInAnyOrder(200, 409);
        assertThat(answers.get(3).status()).isEqualTo(409);
        assertThat(answers.get(3).problemType()).isEqualTo("hold-captured");
        assertThat(payments(firstHold)).isOne();
        assertThat(invoiceStatus(first)).isEqualTo("paid");
    }

    @Test
    void holdsAndCapturesThatQueueTogetherAreCommittedInOneBatch() throws Exception {
        rule(0, true, 0);
        long blocked = invoice(1_000_00), placing = invoice(1_000_00), capturing = invoice(1_000_00);
        long capturingHold = hold(capturing, "capturing-hold").id();
        long batchesBefore = batches().count();
        double requestsBefore = batches().totalAmount();

        List<ApiClient.Response> answers = queuedBehind(
                blocked,
                () -> hold(blocked, "blocked-hold"),
                List.of(() -> hold(placing, "placing-hold"), () -> capture(capturingHold, "capturing-capture")));

        assertThat(answers).extracting(ApiClient.Response::status).containsExactly(201, 201, 200);
        assertThat(batches().count() - batchesBefore).isEqualTo(2);
        assertThat(batches().totalAmount() - requestsBefore).isEqualTo(3); // the blocked one, then the two together
        assertThat(activeHolds(placing)).isOne();
        assertThat(invoiceStatus(capturing)).isEqualTo("paid");
        assertThat(records("placing-hold") + records("capturing-capture")).isEqualTo(2);
    }

    @Test
    void capturesRefusedInABatchWithHoldsAreRefusedAloneAndTheRestIsCommitted() throws Exception {
        // a batch with holds has its captures' invoices locked with theirs, and captures without locking again
        // (V6.17): a capture of a hold that is not there or is captured already is refused as a single one would be
        rule(0, true, 0);
        long blocked = invoice(1_000_00), placing = invoice(1_000_00), capturing = invoice(1_000_00);
        long captured = hold(invoice(1_000_00), "captured-hold-among-refused").id();
        assertThat(capture(captured, "captured-before-among-refused").status()).isEqualTo(200);
        long capturingHold = hold(capturing, "capturing-hold-among-refused").id();
        long batchesBefore = batches().count();

        List<ApiClient.Response> answers = queuedBehind(
                blocked,
                () -> hold(blocked, "blocked-hold-among-refused"),
                List.of(
                        () -> hold(placing, "placing-hold-among-refused"),
                        () -> capture(captured, "second-capture"),
                        () -> capture(999_999_999L, "capture-of-nothing"),
                        () -> capture(capturingHold, "capturing-capture-among-refused")));

        assertThat(answers).extracting(ApiClient.Response::status).containsExactly(201, 201, 409, 404, 200);
        assertThat(answers.get(2).problemType()).isEqualTo("hold-captured");
        assertThat(batches().count() - batchesBefore).isEqualTo(2);
        assertThat(activeHolds(placing)).isOne();
        assertThat(invoiceStatus(capturing)).isEqualTo("paid");
        assertThat(payments(captured)).isOne();
    }

    @Test
    void aBatchWhoseHoldsAreAllRefusedBeforeTheDatabaseStillCapturesItsHolds() throws Exception {
        // the placements and the captures go to the database as one call (V6.19); here it has no placement to make
        rule(0, true, 0);
        long blocked = invoice(1_000_00), capturing = invoice(1_000_00);
        long capturingHold = hold(capturing, "capturing-hold-beside-refused").id();
        long batchesBefore = batches().count();

        List<ApiClient.Response> answers = queuedBehind(
                blocked,
                () -> hold(blocked, "blocked-hold-beside-refused"),
                List.of(
                        () -> hold(999_999_999L, "hold-on-nothing"),
                        () -> capture(capturingHold, "capture-beside-refused")));

        assertThat(answers).extracting(ApiClient.Response::status).containsExactly(201, 404, 200);
        assertThat(batches().count() - batchesBefore).isEqualTo(2);
        assertThat(invoiceStatus(capturing)).isEqualTo("paid");
        assertThat(records("hold-on-nothing")).isZero();
        assertThat(records("capture-beside-refused")).isOne();
    }

    @Test
    void aBatchWithARefusalInTheDatabaseRunsAgainItemByItemAsDoesTheNextOne() throws Exception {
        rule(0, true, 0);
        // a batch of several with nothing refused: whatever an earlier test left, the next batch runs whole
        long blocked = invoice(1_000_00);
        List<ApiClient.Response> first = queuedBehind(
                blocked,
                () -> hold(blocked, "scope-blocked-1"),
                List.of(() -> hold(invoice(1_000_00), "scope-a"), () -> hold(invoice(1_000_00), "scope-b")));
        assertThat(first).extracting(ApiClient.Response::status).containsExactly(201, 201, 201);
        long poor = invoice(100_00), placing = invoice(1_000_00), capturing = invoice(1_000_00);
        long capturingHold = hold(capturing, "scope-capturing-hold").id();
        long blocked2 = invoice(1_000_00), blocked3 = invoice(1_000_00), blocked4 = invoice(1_000_00);
        double refusedBefore = refusedBatches();

        List<ApiClient.Response> refused = queuedBehind(
                blocked2,
                () -> hold(blocked2, "scope-blocked-2"),
                List.of(
                        () -> hold(placing, "scope-placing"),
                        () -> hold(poor, "scope-poor"),
                        () -> capture(capturingHold, "scope-capture")));

        // the whole batch's work was undone by the refusal, then done again item by item
        assertThat(refused).extracting(ApiClient.Response::status).containsExactly(201, 201, 422, 200);
        assertThat(refused.get(2).problemType()).isEqualTo("insufficient-funds");
        assertThat(refusedBatches() - refusedBefore).isOne();
        assertThat(activeHolds(placing)).isOne();
        assertThat(activeHolds(poor)).isZero();
        assertThat(records("scope-poor")).isZero();
        assertThat(invoiceStatus(capturing)).isEqualTo("paid");
        assertThat(payments(capturingHold)).isOne();

        // the next batch of several runs item by item: its refusal is its item's without a second run
        long poorAgain = invoice(100_00), next = invoice(1_000_00);
        List<ApiClient.Response> itemByItem = queuedBehind(
                blocked3,
                () -> hold(blocked3, "scope-blocked-3"),
                List.of(() -> hold(next, "scope-next"), () -> hold(poorAgain, "scope-poor-again")));
        assertThat(itemByItem).extracting(ApiClient.Response::status).containsExactly(201, 201, 422);
        assertThat(refusedBatches() - refusedBefore).isOne();

        // and the one after runs whole again
        long poorOnceMore = invoice(100_00), last = invoice(1_000_00);
        List<ApiClient.Response> whole = queuedBehind(
                blocked4,
                () -> hold(blocked4, "scope-blocked-4"),
                List.of(() -> hold(last, "scope-last"), () -> hold(poorOnceMore, "scope-poor-once-more")));
        assertThat(whole).extracting(ApiClient.Response::status).containsExactly(201, 201, 422);
        assertThat(refusedBatches() - refusedBefore).isEqualTo(2);
        assertThat(activeHolds(next) + activeHolds(last)).isEqualTo(2);
    }

    @Test
    void requestsBesideAHeldUpBatchGoAsABatchOfTheirOwnOnceThereAreEnoughOfThem() throws Exception {
        rule(0, true, 0);
        long blocked = invoice(1_000_00);
        List<Long> others = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            others.add(invoice(1_000_00));
        }
        long batchesBefore = batches().count();
        double requestsBefore = batches().totalAmount();

        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(false);
            lock.createStatement().execute("select 1 from kopek.invoice where id = " + blocked + " for update");
            Future<ApiClient.Response> held = threads.submit(() -> hold(blocked, "held-up-hold"));
            await(() -> waitingForLocks() > 0);
            List<Future<ApiClient.Response>> beside = new ArrayList<>();
            for (int i = 0; i < others.size(); i++) {
                long invoice = others.get(i);
                String key = "beside-" + i;
                beside.add(threads.submit(() -> hold(invoice, key)));
            }
            for (Future<ApiClient.Response> f : beside) {
                assertThat(f.get(20, TimeUnit.SECONDS).status()).isEqualTo(201); // the held-up batch still waits
            }
            assertThat(held).isNotDone();
            assertThat(batches().count() - batchesBefore).isOne(); // not one by one as they came: all six at once
            assertThat(batches().totalAmount() - requestsBefore).isEqualTo(6);
            lock.rollback();
            assertThat(held.get(20, TimeUnit.SECONDS).status()).isEqualTo(201);
        }
    }

    ApiClient.Response capture(long hold, String key) {
        return accountant.post("/api/v1/holds/" + hold + "/capture", "{}", key);
    }

    /**
     * The answer to {@code heldUp}, whose batch waits for a test transaction's lock of invoice {@code blocked}, then
     * the answers to {@code requests}, in order, which queue meanwhile and go once the lock is released.
     */
    List<ApiClient.Response> queuedBehind(
            long blocked, Callable<ApiClient.Response> heldUp, List<Callable<ApiClient.Response>> requests)
            throws Exception {
        List<ApiClient.Response> answers = new ArrayList<>();
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(false);
            lock.createStatement().execute("select 1 from kopek.invoice where id = " + blocked + " for update");
            Future<ApiClient.Response> held = threads.submit(heldUp);
            await(() -> waitingForLocks() > 0); // the first batch, alone, waits for the test's lock
            List<Future<ApiClient.Response>> queued = submitAll(requests);
            await(() -> queued() == requests.size());
            lock.rollback();
            answers.add(held.get());
            for (Future<ApiClient.Response> f : queued) {
                answers.add(f.get());
            }
        }
        return answers;
    }

    List<Future<ApiClient.Response>> submitAll(List<Callable<ApiClient.Response>> requests) throws Exception {
        List<Future<ApiClient.Response>> submitted = new ArrayList<>();
        for (Callable<ApiClient.Response> r : requests) {
            submitted.add(threads.submit(r));
        }
        return submitted;
    }

    DistributionSummary batches() {
        return meters.get("kopek.api.group.commit.requests").summary();
    }

    double refusedBatches() {
        return meters.get("kopek.api.group.commit.refused.batches").counter().count();
    }

    int queued() {
        return (int) meters.get("kopek.api.group.commit.queued").gauge().value();
    }

    long waitingForLocks() {
        return jdbc.sql("select count(*) from pg_locks where not granted")
                .query(Long.class)
                .single();
    }

    long activeHolds(long invoice) {
        return jdbc.sql("select count(*) from hold where invoice_id = ? and status = 'active'")
                .param(invoice)
                .query(Long.class)
                .single();
    }

    String invoiceStatus(long invoice) {
        return jdbc.sql("select status from invoice where id = ?")
                .param(invoice)
                .query(String.class)
                .single();
    }

    long payments(long hold) {
        return jdbc.sql("select count(*) from payment where hold_id = ?")
                .param(hold)
                .query(Long.class)
                .single();
    }

    long records(String key) {
        return jdbc.sql("select count(*) from idempotency_record where key = ?")
                .param(key)
                .query(Long.class)
                .single();
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waited 20 s").isBefore(deadline);
            Thread.sleep(10);
        }
    }
}

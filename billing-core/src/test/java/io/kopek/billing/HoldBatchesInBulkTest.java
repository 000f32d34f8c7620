package io.kopek.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.CoreTestApplication;
import io.kopek.billing.Holds.Capture;
import io.kopek.billing.Holds.Outcomes;
import io.kopek.billing.Holds.Placement;
import io.kopek.billing.Holds.RefusalScope;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.catalog.Catalog;
import io.kopek.customer.Customers;
import io.kopek.ledger.InsufficientFundsException;
import io.kopek.money.Money;
import io.kopek.outbox.Outbox;
import io.kopek.pricing.Pricing;
import io.kopek.testing.TestClockConfiguration;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A batch run with {@link RefusalScope#BATCH} (the group commit's usual batch: billing/V6.24, ledger/V2.6, each kind
 * of row written for the whole batch at once) leaves the same holds, payments, invoices, ledger totals and entries,
 * and the same events in the same order, as the same batch run item by item ({@link RefusalScope#ITEM}); and where
 * item by item refuses an item, the batch as a whole is refused and leaves nothing, so that it can be run again item
 * by item. Each scenario runs in a world of its own: two customers, one of them paying two invoices in one batch.
 */
@SpringBootTest(classes = CoreTestApplication.class)
@Import(TestClockConfiguration.class)
class HoldBatchesInBulkTest {

    /** The parts of an event's payload that name rows, which differ between two worlds. */
    private static final Set<String> NAMES =
            Set.of("holdId", "invoiceId", "customerId", "paymentId", "number", "expiresAt");

    @Autowired
    Catalog catalog;

    @Autowired
    Pricing pricing;

    @Autowired
    Customers customers;

    @Autowired
    Invoicing invoicing;

    @Autowired
    Payments payments;

    @Autowired
    Holds holds;

    @Autowired
    Outbox outbox;

    @Autowired
    BusinessCalendar calendar;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void placementsAndCapturesInBulkLeaveWhatItemByItemLeaves() {
        State itemByItem = new World(Money.rub(500_00), Money.rub(500_00)).placeThenCapture(RefusalScope.ITEM);
        State inBulk = new World(Money.rub(500_00), Money.rub(500_00)).placeThenCapture(RefusalScope.BATCH);

        assertThat(inBulk).isEqualTo(itemByItem);
        assertThat(inBulk.events()).hasSize(4 + 3 * 3);
    }

    @Test
    void placementsThatTogetherExceedABalanceRefuseTheBatchAndLeaveNothing() {
        // 150 RUB on x's balance: either hold of 100 RUB fits, not both
        World byItem = new World(Money.rub(150_00), Money.rub(500_00));
        Outcomes itemByItem = byItem.run(
                List.of(byItem.place(byItem.x1), new Placement(byItem.x2, Money.rub(100_00), null, null)),
                List.of(),
                RefusalScope.ITEM);
        assertThat(itemByItem.placed().get(0).hold()).isNotNull();
        assertThat(itemByItem.placed().get(1).refusal()).isInstanceOf(InsufficientFundsException.class);

        World inBulk = new World(Money.rub(150_00), Money.rub(500_00));
        assertThat(inBulk.runOf(() -> inBulk.run(
                        List.of(inBulk.place(inBulk.x1), new Placement(inBulk.x2, Money.rub(100_00), null, null)),
                        List.of(),
                        RefusalScope.BATCH)))
                .isInstanceOf(Holds.BatchRefusedException.class)
                .hasCauseInstanceOf(InsufficientFundsException.class);
        assertThat(inBulk.state()).isEqualTo(inBulk.startingState);
    }

    @Test
    void aCaptureItemByItemWouldRefuseRefusesTheBatchAndLeavesNothing() {
        World w = new World(Money.rub(500_00), Money.rub(500_00));
        Outcomes placed = w.run(List.of(w.place(w.x1), w.place(w.x2), w.place(w.y)), List.of(), RefusalScope.BATCH);
        long x1 = placed.placed().get(0).hold().id();
        long x2 = placed.placed().get(1).hold().id();
        long y = placed.placed().get(2).hold().id();
        w.run(List.of(), List.of(new Capture(x1, null)), RefusalScope.ITEM);
        State before = w.state();

        // one captured already (hold_require_active), one beyond its hold (hold_capture_locked's own rule)
        for (List<Capture> captures : List.of(
                List.of(new Capture(y, null), new Capture(x1, null)),
                List.of(new Capture(y, null), new Capture(x2, Money.rub(200_01))))) {
            assertThat(w.runOf(() -> w.run(List.of(), captures, RefusalScope.BATCH)))
                    .isInstanceOf(Holds.BatchRefusedException.class);
            assertThat(w.state()).isEqualTo(before);
        }
        Outcomes itemByItem = w.run(List.of(), List.of(new Capture(y, null), new Capture(x1, null)), RefusalScope.ITEM);
        assertThat(itemByItem.captured().get(0).hold().status()).isEqualTo(Hold.Status.CAPTURED);
        assertThat(itemByItem.captured().get(1).refusal()).hasMessageContaining("already captured");
    }

    /** What a world's rows add up to, named by their place in the world, not by their ids. */
    record State(
            List<String> holds,
            List<String> payments,
            List<String> invoices,
            Map<String, List<Long>> accounts,
            List<String> entries,
            List<String> events) {}

    /**
     * Customer x with two invoices (100 and 200 RUB) and customer y with two (100 RUB each), each customer funded as
     * given; the world's first outbox event and starting state are noted.
     */
    private final class World {
        final long customerX;
        final long customerY;
        final long x1;
        final long x2;
        final long y;
        final long y2;
        long firstEvent;
        final State startingState;

        World(Money fundsOfX, Money fundsOfY) {
            FundedCustomer fx = FundedCustomer.create(catalog, pricing, customers, payments, "bulk", fundsOfX);
            FundedCustomer fy = FundedCustomer.create(catalog, pricing, customers, payments, "bulk", fundsOfY);
            customerX = fx.customer();
            customerY = fy.customer();
            x1 = order(fx, 1);
            x2 = order(fx, 2);
            y = order(fy, 1);
            y2 = order(fy, 1);
            firstEvent = lastEvent();
            startingState = state();
        }

        long lastEvent() {
            return jdbc.sql("select coalesce(max(id), 0) from outbox_event")
                    .query(Long.class)
                    .single();
        }

        Placement place(long invoice) {
            return new Placement(invoice, null, null, null);
        }

        /**
         * Places x's two invoices (one of them in part) and y's first in one batch; then in one call captures x's
         * (one in part) and y's, and places y's second.
         */
        State placeThenCapture(RefusalScope scope) {
            firstEvent = lastEvent();
            Outcomes placed = runCounting(
                    scope, List.of(place(x1), new Placement(x2, Money.rub(150_00), null, null), place(y)), List.of());
            assertThat(placed.placed()).allSatisfy(o -> assertThat(o.refusal()).isNull());
            Outcomes captured = runCounting(
                    scope,
                    List.of(place(y2)),
                    List.of(
                            new Capture(placed.placed().get(0).hold().id(), null),
                            new Capture(placed.placed().get(1).hold().id(), Money.rub(120_00)),
                            new Capture(placed.placed().get(2).hold().id(), null)));
            assertThat(captured.placed())
                    .allSatisfy(o -> assertThat(o.refusal()).isNull());
            assertThat(captured.captured()).extracting(o -> o.hold().status()).containsOnly(Hold.Status.CAPTURED);
            assertThat(captured.captured())
                    .extracting(o -> o.hold().captured())
                    .containsExactly(Money.rub(100_00), Money.rub(120_00), Money.rub(100_00));
            return state();
        }

        /**
         * {@link #run}, checking which way the work was done: item by item through the one-by-one functions, or in
         * bulk without any of them (PostgreSQL's count of a transaction's function calls, track_functions).
         */
        Outcomes runCounting(RefusalScope scope, List<Placement> placements, List<Capture> captures) {
            return transactions.execute(s -> {
                jdbc.sql("set local track_functions = 'pl'").update();
                // PostgreSQL 15 shows counts not yet flushed from the connection's earlier transactions too
                long before = oneByOneCalls();
                Outcomes outcomes = holds.placeAndCaptureEach(placements, captures, scope);
                long oneByOne = oneByOneCalls() - before;
                assertThat(oneByOne)
                        .as("calls of the one-by-one functions")
                        .matches(calls -> scope == RefusalScope.ITEM ? calls > 0 : calls == 0);
                return outcomes;
            });
        }

        private long oneByOneCalls() {
            return jdbc.sql("select coalesce(sum(calls), 0) from pg_stat_xact_user_functions"
                            + " where funcname in ('hold_place', 'hold_capture_locked', 'ledger_reserve',"
                            + " 'ledger_post_pending', 'outbox_publish')")
                    .query(Long.class)
                    .single();
        }

        Outcomes run(List<Placement> placements, List<Capture> captures, RefusalScope scope) {
            return transactions.execute(s -> holds.placeAndCaptureEach(placements, captures, scope));
        }

        RuntimeException runOf(Supplier<Outcomes> call) {
            try {
                call.get();
            } catch (RuntimeException e) {
                return e;
            }
            throw new AssertionError("the batch was not refused");
        }

        State state() {
            List<Long> invoices = List.of(x1, x2, y, y2);
            String inWorld = "invoice_id in (" + x1 + ", " + x2 + ", " + y + ", " + y2 + ")";
            List<String> holdRows = jdbc.sql("select invoice_id, status, amount, captured_amount from hold where "
                            + inWorld + " order by id")
                    .query((rs, n) -> invoices.indexOf(rs.getLong(1)) + " " + rs.getString(2) + " " + rs.getLong(3)
                            + " " + rs.getObject(4))
                    .list();
            List<String> paymentRows = jdbc.sql("select invoice_id, method, amount, currency from payment where "
                            + inWorld + " order by id")
                    .query((rs, n) -> invoices.indexOf(rs.getLong(1)) + " " + rs.getString(2) + " " + rs.getLong(3)
                            + " " + rs.getString(4))
                    .list();
            List<String> invoiceRows = jdbc.sql("select id, status, paid_amount from invoice where id in (" + x1 + ", "
                            + x2 + ", " + y + ", " + y2 + ") order by id")
                    .query((rs, n) -> invoices.indexOf(rs.getLong(1)) + " " + rs.getString(2) + " " + rs.getLong(3))
                    .list();
            Map<String, List<Long>> accounts = new TreeMap<>();
            Currency rub = Currency.getInstance("RUB");
            for (var customer : Map.of("x", customerX, "y", customerY).entrySet()) {
                for (String code : List.of(
                        Accounts.balanceCode(customer.getValue(), rub),
                        "customer:" + customer.getValue() + ":receivable:RUB")) {
                    accounts.put(
                            code.replace(Long.toString(customer.getValue()), customer.getKey()),
                            jdbc.sql("select debits_posted, credits_posted, debits_pending, credits_pending"
                                            + " from ledger_account where code = ?")
                                    .param(code)
                                    .query((rs, n) ->
                                            List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                                    .single());
                }
            }
            List<String> entries = jdbc.sql("select t.kind, t.reference is not null, e.side, e.amount, e.currency"
                            + " from ledger_entry e join ledger_transaction t on t.id = e.transaction_id"
                            + " join hold h on h.transfer_id in (select p.id from ledger_pending_transfer p"
                            + " where p.posting_transaction = t.id)"
                            + " where h." + inWorld + " order by e.id")
                    .query((rs, n) -> rs.getString(1) + " " + rs.getBoolean(2) + " " + rs.getString(3) + " "
                            + rs.getLong(4) + " " + rs.getString(5))
                    .list();
            List<String> events = new ArrayList<>();
            outbox.after(firstEvent, 1_000).forEach(e -> {
                Map<Object, Object> payload = new TreeMap<>();
                e.payload().forEach((k, v) -> payload.put(k, NAMES.contains(k) ? "…" : v));
                events.add(e.type() + " v" + e.version() + " " + e.aggregateType() + " " + payload);
            });
            return new State(holdRows, paymentRows, invoiceRows, accounts, entries, events);
        }

        private long order(FundedCustomer funded, int quantity) {
            return invoicing
                    .place(new PlaceOrder(
                            funded.customer(),
                            null,
                            calendar.today().plusDays(10),
                            List.of(new PlaceOrder.Item(funded.product(), BigDecimal.valueOf(quantity)))))
                    .id();
        }
    }
}

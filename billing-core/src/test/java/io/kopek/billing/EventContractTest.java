package io.kopek.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.CoreTestApplication;
import io.kopek.billing.BillingEvents.BalanceRefunded;
import io.kopek.billing.BillingEvents.BalanceToppedUp;
import io.kopek.billing.BillingEvents.HoldCaptured;
import io.kopek.billing.BillingEvents.HoldExpired;
import io.kopek.billing.BillingEvents.HoldExpiring;
import io.kopek.billing.BillingEvents.HoldPlaced;
import io.kopek.billing.BillingEvents.HoldReleased;
import io.kopek.billing.BillingEvents.InvoiceCanceled;
import io.kopek.billing.BillingEvents.InvoiceIssued;
import io.kopek.billing.BillingEvents.InvoiceOverdue;
import io.kopek.billing.BillingEvents.InvoicePaid;
import io.kopek.billing.BillingEvents.InvoicePartiallyPaid;
import io.kopek.billing.BillingEvents.PaymentSucceeded;
import io.kopek.billing.BillingEvents.RefundSucceeded;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.catalog.Catalog;
import io.kopek.catalog.NewProduct;
import io.kopek.customer.CustomerCreated;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.NewCustomer;
import io.kopek.money.Money;
import io.kopek.outbox.DomainEvent;
import io.kopek.outbox.Outbox;
import io.kopek.outbox.OutboxEvent;
import io.kopek.pricing.Pricing;
import io.kopek.testing.MutableClock;
import io.kopek.testing.TestClockConfiguration;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Billing's events are a public contract, and some are written by Java and some by database functions: every one
 * of them, from either side, fits its record exactly (no field the record lacks, none it has missing, the record's
 * type and version; a field is left out only where the record marks it {@code @Nullable}), so a receiver never sees two
 * shapes of one event.
 */
@SpringBootTest(classes = CoreTestApplication.class)
@Import(TestClockConfiguration.class)
class EventContractTest {

    private static final Map<String, Class<? extends DomainEvent>> RECORDS = Stream.of(
                    CustomerCreated.class,
                    InvoiceIssued.class,
                    InvoicePaid.class,
                    InvoicePartiallyPaid.class,
                    InvoiceOverdue.class,
                    InvoiceCanceled.class,
                    PaymentSucceeded.class,
                    BalanceToppedUp.class,
                    BalanceRefunded.class,
                    RefundSucceeded.class,
                    HoldPlaced.class,
                    HoldCaptured.class,
                    HoldReleased.class,
                    HoldExpiring.class,
                    HoldExpired.class)
            .collect(Collectors.toMap(c -> Outbox.typeOf(c).name(), Function.identity()));

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
    HoldExpiryWarnings warnings;

    @Autowired
    Outbox outbox;

    @Autowired
    MutableClock clock;

    @Autowired
    BusinessCalendar calendar;

    @Autowired
    JdbcClient jdbc;

    @Test
    void everyBillingEventFromJavaOrSqlFitsItsRecordExactly() {
        Instant now = clock.instant();
        try {
            announceEveryBillingEvent();
        } finally {
            clock.set(now);
        }
    }

    private void announceEveryBillingEvent() {
        long start = jdbc.sql("select coalesce(max(id), 0) from outbox_event")
                .query(Long.class)
                .single();
        String run = UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        long merchant =
                catalog.createMerchant("E" + run, "Events LLC", "7700000009").id();
        String category = "events-" + run;
        pricing.create(
                StandardRule.paidBy(category, 600, List.of("balance", "bank_transfer", "card"), List.of("acme")));
        long product = catalog.createProduct(
                        new NewProduct(merchant, "SKU", "Service", category, Money.rub(100_00), "piece"))
                .id();
        long customer = customers
                .create(new NewCustomer(CustomerType.COMPANY, "OOO Events", "e@example.ru", null, "7707083893"))
                .id();
        payments.topUp(customer, Money.rub(1_000_00), "PP-1"); // balance.topped_up

        long partlyThenCard = order(customer, product, run + "-1");
        Payment fromBalance = payments.payFromBalance(partlyThenCard, Money.rub(40_00)); // by SQL: partially_paid
        payments.recordCardPayment(partlyThenCard, Money.rub(60_00), "acme", "acme-" + run); // invoice.paid
        payments.refund(partlyThenCard, fromBalance.id(), Money.rub(10_00), "goodwill"); // refund.succeeded

        long held = order(customer, product, run + "-2");
        Hold hold = holds.place(held, Money.rub(100_00), Duration.ofMinutes(5)); // hold.placed (balance)
        holds.capture(hold.id(), Money.rub(70_00)); // hold.captured, payment.succeeded

        long released = order(customer, product, run + "-3");
        holds.release(holds.placeCard(released, Money.rub(100_00), "acme", "acme-h-" + run, null)
                .orElseThrow()
                .id()); // hold.placed (card, with provider), hold.released
        holds.place(released, Money.rub(100_00), Duration.ofSeconds(30));
        warnings.warnDue(); // hold.expiring
        clock.advance(Duration.ofMinutes(1));
        holds.expireDue(); // hold.expired

        long cancelled = order(customer, product, run + "-4");
        invoicing.cancel(cancelled); // invoice.canceled
        Payment late = payments.recordCardPayment(cancelled, Money.rub(100_00), "acme", "acme-late-" + run);
        payments.recordCardRefund(cancelled, late.id(), Money.rub(40_00), "back to the card"); // balance.refunded
        invoicing.place(new PlaceOrder(
                customer, run + "-5", calendar.today(), List.of(new PlaceOrder.Item(product, BigDecimal.ONE))));
        clock.advance(Duration.ofDays(2));
        invoicing.markOverdue(); // invoice.overdue

        List<OutboxEvent> events = outbox.after(start, 10_000);
        Set<String> seen = new TreeSet<>();
        List<String> misfits = new ArrayList<>();
        for (OutboxEvent event : events) {
            Class<? extends DomainEvent> record = RECORDS.get(event.type());
            if (record == null) {
                continue; // another module's event, checked by its own module's tests
            }
            seen.add(event.type());
            try {
                DomainEvent typed = Outbox.payload(event, record);
                Set<String> written = fieldNames(Outbox.PAYLOADS.valueToTree(event.payload()));
                Set<String> components = Stream.of(record.getRecordComponents())
                        .map(RecordComponent::getName)
                        .collect(Collectors.toCollection(TreeSet::new));
                Set<String> required = Stream.of(record.getRecordComponents())
                        .filter(c -> !c.getAnnotatedType().isAnnotationPresent(Nullable.class))
                        .map(RecordComponent::getName)
                        .collect(Collectors.toCollection(TreeSet::new));
                if (!written.containsAll(required) || !components.containsAll(written)) {
                    misfits.add(event.type() + ": " + written + " where the record has " + components + ", of which "
                            + required + " always");
                }
                if (!String.valueOf(Outbox.aggregateIdOf(typed)).equals(event.aggregateId())
                        || !Outbox.typeOf(record).aggregate().equals(event.aggregateType())) {
                    misfits.add(event.type() + ": about " + event.aggregateType() + " " + event.aggregateId());
                }
            } catch (RuntimeException e) {
                misfits.add(event.type() + ": " + e.getMessage());
            }
        }

        assertThat(misfits).isEmpty();
        assertThat(seen).containsExactlyInAnyOrderElementsOf(RECORDS.keySet());
    }

    private long order(long customer, long product, String ref) {
        return invoicing
                .place(new PlaceOrder(
                        customer,
                        ref,
                        calendar.today().plusDays(10),
                        List.of(new PlaceOrder.Item(product, BigDecimal.ONE))))
                .id();
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.propertyNames().forEach(names::add);
        return names;
    }
}

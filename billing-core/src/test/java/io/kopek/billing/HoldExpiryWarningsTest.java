package io.kopek.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.CoreTestApplication;
import io.kopek.billing.BillingEvents.HoldExpiring;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.catalog.Catalog;
import io.kopek.customer.Customers;
import io.kopek.money.Money;
import io.kopek.outbox.Outbox;
import io.kopek.outbox.OutboxEvent;
import io.kopek.pricing.Pricing;
import io.kopek.schedule.ScheduledWork;
import io.kopek.testing.MutableClock;
import io.kopek.testing.TestClockConfiguration;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * "Hold expiring soon": the schedule {@code holdExpiryWarnings} announces each active hold that expires within the
 * lead ({@code kopek.billing.hold-expiry-warning}, 24 h by default) once, however often it runs; never a hold
 * further off, nor one captured or released; and nothing at all when the lead is zero.
 */
@SpringBootTest(classes = CoreTestApplication.class)
@Import(TestClockConfiguration.class)
class HoldExpiryWarningsTest {

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
    MutableClock clock;

    @Autowired
    BusinessCalendar calendar;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    List<ScheduledWork> schedules;

    long customer;
    long product;
    long start;

    @BeforeEach
    void aCustomerWithMoneyOnTheBalance() {
        FundedCustomer funded =
                FundedCustomer.create(catalog, pricing, customers, payments, "warned", Money.rub(10_000_00));
        customer = funded.customer();
        product = funded.product();
        start = jdbc.sql("select coalesce(max(id), 0) from outbox_event")
                .query(Long.class)
                .single();
    }

    @Test
    void aHoldWithinTheLeadIsAnnouncedOnceHoweverOftenTheWorkRuns() {
        Hold soon = holds.place(order(), null, Duration.ofHours(2));

        ScheduledWork work = warnings();
        work.work().run();
        work.work().run();
        work.work().run();

        List<OutboxEvent> events = expiringEventsOf(soon.id());
        assertThat(events).hasSize(1);
        assertThat(events.getFirst().aggregateType()).isEqualTo("hold");
        assertThat(Outbox.payload(events.getFirst(), HoldExpiring.class))
                .isEqualTo(new HoldExpiring(
                        soon.id(),
                        soon.invoiceId(),
                        customer,
                        Hold.Source.BALANCE,
                        100_00,
                        "RUB",
                        soon.expiresAt(),
                        null));
        assertThat(events.getFirst().payload().containsKey("provider"))
                .as("provider left out")
                .isFalse();
        assertThat(work.misfire()).isEqualTo(ScheduledWork.Misfire.RUN_ONCE_NOW);
        assertThat(work.defaultCron()).isEqualTo("0 * * * * ?");
    }

    @Test
    void aHoldFurtherOffThanTheLeadIsAnnouncedOnlyOnceItComesWithinIt() {
        Instant now = clock.instant();
        Hold later = holds.place(order(), null, Duration.ofDays(3));
        try {
            warnings().work().run();
            assertThat(expiringEventsOf(later.id())).isEmpty();

            clock.advance(Duration.ofDays(2).plusHours(1));
            warnings().work().run();
            warnings().work().run();
            assertThat(expiringEventsOf(later.id())).hasSize(1);
        } finally {
            clock.set(now);
        }
    }

    @Test
    void aCapturedOrReleasedHoldIsNeverAnnounced() {
        Hold captured = holds.place(order(), null, Duration.ofHours(1));
        Hold released = holds.place(order(), null, Duration.ofHours(1));
        holds.capture(captured.id(), null);
        holds.release(released.id());

        warnings().work().run();

        assertThat(expiringEventsOf(captured.id())).isEmpty();
        assertThat(expiringEventsOf(released.id())).isEmpty();
    }

    @Test
    void aZeroLeadAnnouncesNothing() {
        Hold soon = holds.place(order(), null, Duration.ofMinutes(10));
        HoldExpiryWarnings off =
                new HoldExpiryWarnings(jdbc, outbox, calendar, transactions, new BillingProperties(Duration.ZERO));

        assertThat(off.warnDue()).isZero();
        assertThat(expiringEventsOf(soon.id())).isEmpty();
        assertThat(jdbc.sql("select count(*) from hold where id = ? and expiry_warned_at is not null")
                        .param(soon.id())
                        .query(Long.class)
                        .single())
                .isZero();
    }

    private ScheduledWork warnings() {
        return schedules.stream()
                .filter(s -> s.name().equals("holdExpiryWarnings"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no schedule holdExpiryWarnings"));
    }

    private List<OutboxEvent> expiringEventsOf(long holdId) {
        return outbox.after(start, 10_000).stream()
                .filter(e -> e.type().equals("hold.expiring"))
                .filter(e -> e.aggregateId().equals(Long.toString(holdId)))
                .toList();
    }

    private long order() {
        return invoicing
                .place(new PlaceOrder(
                        customer,
                        null,
                        calendar.today().plusDays(10),
                        List.of(new PlaceOrder.Item(product, BigDecimal.ONE))))
                .id();
    }
}

package io.kopek.notification;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.NotificationsTestApplication;
import io.kopek.billing.Invoice;
import io.kopek.billing.Invoicing;
import io.kopek.billing.PlaceOrder;
import io.kopek.catalog.Catalog;
import io.kopek.catalog.NewProduct;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.Language;
import io.kopek.customer.NewCustomer;
import io.kopek.money.Money;
import io.kopek.outbox.DomainEvent;
import io.kopek.outbox.EventType;
import io.kopek.outbox.Outbox;
import io.kopek.pricing.NewBillingRule;
import io.kopek.pricing.Pricing;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.support.TransactionTemplate;

@SpringBootTest(classes = NotificationsTestApplication.class, properties = "kopek.notifications.enabled=false")
@Import(NotificationConsumerTest.Recording.class)
class NotificationConsumerTest {

    @EventType(name = "test.thing_happened", aggregate = "thing", aggregateId = "thingId")
    public record ThingHappened(long thingId) implements DomainEvent {}

    @TestConfiguration
    static class Recording {
        final List<Notification> seen = new CopyOnWriteArrayList<>();

        @Bean
        NotificationChannel recordingChannel() {
            return notification -> seen.add(notification);
        }
    }

    @Autowired
    NotificationConsumer consumer;

    @Autowired
    Recording recording;

    @Autowired
    Catalog catalog;

    @Autowired
    Pricing pricing;

    @Autowired
    Customers customers;

    @Autowired
    Invoicing invoicing;

    @Autowired
    Outbox outbox;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void anInvoicesEventConcernsItsMerchantAndCustomerAndCarriesTheInvoicesState() {
        String run = UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        long merchant = catalog.createMerchant("N" + run, "Магазин уведомлений", "7700000009")
                .id();
        String category = "notified-" + run.toLowerCase();
        pricing.create(new NewBillingRule(
                category,
                "*",
                LocalDate.of(2025, 1, 1),
                null,
                0,
                0,
                0,
                "standard",
                false,
                null,
                List.of("balance", "bank_transfer"),
                List.of(),
                0));
        long product = catalog.createProduct(
                        new NewProduct(merchant, "SKU-" + run, "Услуга", category, Money.rub(12_345), "piece"))
                .id();
        long customer = customers
                .create(new NewCustomer(CustomerType.INDIVIDUAL, "Анна", "anna@example.ru", null, null, Language.EN))
                .id();
        Invoice invoice = invoicing.place(new PlaceOrder(
                customer, null, LocalDate.now().plusDays(10), List.of(new PlaceOrder.Item(product, BigDecimal.TWO))));

        drain();

        Notification issued = recording.seen.stream()
                .filter(n -> n.type().equals("invoice.issued")
                        && ((Number) n.payload().get("invoiceId")).longValue() == invoice.id())
                .findFirst()
                .orElseThrow();
        assertThat(issued.subject().merchantId()).isEqualTo(merchant);
        assertThat(issued.subject().customerId()).isEqualTo(customer);
        assertThat(issued.subject().orderingKey()).isEqualTo("invoice:" + invoice.id());
        assertThat(issued.subject().object()).isInstanceOfSatisfying(ObjectState.Invoice.class, state -> {
            assertThat(state.number()).isEqualTo(invoice.number());
            assertThat(state.total()).isEqualTo(24_690);
            assertThat(state.outstanding()).isEqualTo(24_690);
            assertThat(state.currency()).isEqualTo("RUB");
            assertThat(state.status()).isEqualTo("issued");
        });
        assertThat(customers.get(customer).language()).isEqualTo(Language.EN);
    }

    @Test
    void anEventOfTheInstallationHasNoMerchantAndIsOrderedByItsAggregate() {
        long thing = System.nanoTime();
        transactions.executeWithoutResult(status -> outbox.publish(new ThingHappened(thing)));

        drain();

        Notification notification = recording.seen.stream()
                .filter(n -> n.type().equals("test.thing_happened")
                        && ((Number) n.payload().get("thingId")).longValue() == thing)
                .findFirst()
                .orElseThrow();
        assertThat(notification.subject().merchantId()).isNull();
        assertThat(notification.subject().customerId()).isNull();
        assertThat(notification.subject().orderingKey()).isEqualTo("thing:" + thing);
        assertThat(notification.subject().object()).isNull();
        assertThat(notification.payloadAs(ThingHappened.class).thingId()).isEqualTo(thing);
    }

    @Test
    void eachEventIsNotifiedOnce() {
        long thing = System.nanoTime();
        transactions.executeWithoutResult(status -> outbox.publish(new ThingHappened(thing)));

        drain();
        drain();

        assertThat(recording.seen.stream()
                        .filter(n -> n.type().equals("test.thing_happened")
                                && ((Number) n.payload().get("thingId")).longValue() == thing))
                .hasSize(1);
    }

    /** Passes until the consumer has taken every settled event (the settle time is one second). */
    private void drain() {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            var pass = consumer.poll();
            if (pass.events() == 0 && outboxIsTaken()) {
                return;
            }
        }
        throw new AssertionError("the notifications consumer did not catch up");
    }

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    private boolean outboxIsTaken() {
        return jdbc.sql(
                        "select coalesce((select last_event_id from outbox_consumer where consumer = 'notifications'), 0)"
                                + " >= (select coalesce(max(id), 0) from outbox_event)")
                .query(Boolean.class)
                .single();
    }
}

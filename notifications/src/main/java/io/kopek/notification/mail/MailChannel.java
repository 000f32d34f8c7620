package io.kopek.notification.mail;

import io.kopek.billing.Invoice;
import io.kopek.billing.Invoicing;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.catalog.Catalog;
import io.kopek.catalog.Merchant;
import io.kopek.customer.Customer;
import io.kopek.customer.Customers;
import io.kopek.customer.Language;
import io.kopek.notification.Notification;
import io.kopek.notification.NotificationChannel;
import io.kopek.notification.ObjectState;
import io.kopek.outbox.Outbox;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * E-mail as a notification channel: in the consumer's transaction, renders and records (never sends) a mail to the
 * customer an event concerns, in the customer's language, with the invoice's PDF on "invoice issued"; an alert for
 * each staff group that hears of the event (sent later as the group's digest); and a mail to a disabled webhook
 * endpoint's contact. Without {@code spring.mail.host} it records nothing, and says so once.
 */
@Component
class MailChannel implements NotificationChannel {

    private static final Logger log = LoggerFactory.getLogger(MailChannel.class);

    /** What a customer hears of. */
    static final Set<String> CUSTOMER_EVENTS = Set.of(
            "invoice.issued",
            "invoice.paid",
            "invoice.partially_paid",
            "invoice.overdue",
            "invoice.canceled",
            "payment.succeeded",
            "card_payment.failed",
            "refund.succeeded",
            "hold.placed",
            "hold.captured",
            "hold.released",
            "hold.expiring",
            "hold.expired",
            "fiscal.receipt_done");

    /** What staff groups may hear of. */
    static final Set<String> STAFF_EVENTS = Set.of(
            "job_run.failed",
            "reconciliation.completed",
            "fiscal.receipt_failed",
            "fiscal.receipt_invalid",
            "registry.quarantined",
            "fiscal.unfiscalized",
            "search.drift_found",
            "webhook_endpoint.disabled");

    private final boolean enabled;
    private final MailProperties properties;
    private final MailStore store;
    private final JdbcClient jdbc;
    private final Customers customers;
    private final Invoicing invoicing;
    private final Catalog catalog;
    private final BusinessCalendar calendar;
    private final MailRenderer renderer = new MailRenderer();

    MailChannel(
            @Value("${spring.mail.host:}") String host,
            MailProperties properties,
            MailStore store,
            JdbcClient jdbc,
            Customers customers,
            Invoicing invoicing,
            Catalog catalog,
            BusinessCalendar calendar) {
        this.enabled = !host.isBlank();
        this.properties = properties;
        this.store = store;
        this.jdbc = jdbc;
        this.customers = customers;
        this.invoicing = invoicing;
        this.catalog = catalog;
        this.calendar = calendar;
        if (enabled) {
            log.info(
                    "mail: customers' and staff mails go through SMTP {} ({} staff groups)",
                    host,
                    properties.staff().groups().size());
        } else {
            log.warn("mail: spring.mail.host is not set, so no e-mail is recorded or sent (customers and staff)");
        }
        properties.staff().groups().forEach((name, group) -> {
            for (String event : group.events()) {
                if (!STAFF_EVENTS.contains(event)) {
                    throw new IllegalStateException("kopek.notifications.mail.staff.groups." + name + ": " + event
                            + " is no staff alert (one of " + STAFF_EVENTS + ")");
                }
            }
        });
    }

    @Override
    public boolean accept(Notification n) {
        if (!enabled) {
            return false;
        }
        boolean made = false;
        if (CUSTOMER_EVENTS.contains(n.type())) {
            made |= customerMail(n);
        }
        if (STAFF_EVENTS.contains(n.type())) {
            made |= staffAlerts(n);
        }
        if ("webhook_endpoint.disabled".equals(n.type()) && n.payload().get("contactEmail") instanceof String contact) {
            made |= contactMail(n, contact);
        }
        return made;
    }

    private boolean customerMail(Notification n) {
        Long customerId = n.subject() == null ? null : n.subject().customerId();
        Optional<Customer> customer = customerId == null ? Optional.empty() : customers.find(customerId);
        if (customer.isEmpty()
                || customer.get().email() == null
                || customer.get().email().isBlank()) {
            return false;
        }
        Customer to = customer.get();
        Language language = to.language();
        Optional<Invoice> invoice = invoiceOf(n);
        MailFormat format = new MailFormat(language, calendar.zone());
        MailTexts texts = new MailTexts(language);
        Map<String, String> values = MailValues.of(n, invoice, format, texts);
        values.put("name", to.name());
        MailRenderer.Rendered content = renderer.customer(
                language,
                texts.fill(n.type() + ".subject", values),
                texts.fill("greeting", values),
                texts.fill(n.type() + ".body", values),
                texts.facts(n.type(), values));
        List<MailStore.Attachment> attachments = List.of();
        if ("invoice.issued".equals(n.type()) && invoice.isPresent()) {
            Merchant merchant = catalog.merchant(invoice.get().merchantId()).orElseThrow();
            attachments = List.of(new MailStore.Attachment(
                    InvoicePdf.fileName(invoice.get()),
                    "application/pdf",
                    InvoicePdf.render(invoice.get(), merchant, to, language, calendar.zone())));
        }
        return store.record(new MailStore.NewMail(n.eventId(), to.email(), "customer", n.type(), content, attachments));
    }

    private Optional<Invoice> invoiceOf(Notification n) {
        if (n.subject() != null && n.subject().object() instanceof ObjectState.Invoice i) {
            return invoicing.find(i.id());
        }
        Object id = n.payload().get("invoiceId");
        if (id instanceof Number number) {
            return invoicing.find(number.longValue());
        }
        if (n.subject() != null && n.subject().object() instanceof ObjectState.Hold h) {
            return invoicing.find(h.invoiceId());
        }
        return Optional.empty();
    }

    private boolean staffAlerts(Notification n) {
        if ("reconciliation.completed".equals(n.type())
                && !(n.payload().get("results") instanceof Map<?, ?> results
                        && MailValues.discrepancies(results, null) > 0)) {
            return false;
        }
        if ("fiscal.unfiscalized".equals(n.type())
                && !(n.payload().get("count") instanceof Number count && count.longValue() > 0)) {
            return false;
        }
        boolean made = false;
        for (var group : properties.staff().groups().entrySet()) {
            if (!group.getValue().events().contains(n.type())
                    || group.getValue().recipients().isEmpty()) {
                continue;
            }
            made |= jdbc.sql("""
                            insert into staff_alert (group_name, event_id, event_type, payload, occurred_at)
                            values (?, ?, ?, ?::jsonb, ?)
                            on conflict (group_name, event_id) do nothing""")
                            .params(
                                    group.getKey(),
                                    n.eventId(),
                                    n.type(),
                                    Outbox.PAYLOADS.writeValueAsString(n.payload()),
                                    java.sql.Timestamp.from(n.occurredAt()))
                            .update()
                    > 0;
        }
        return made;
    }

    private boolean contactMail(Notification n, String contact) {
        Language language = properties.contactLanguage();
        MailFormat format = new MailFormat(language, calendar.zone());
        MailTexts texts = new MailTexts(language);
        Map<String, String> values = MailValues.of(n, Optional.empty(), format, texts);
        MailRenderer.Rendered content = renderer.customer(
                language,
                texts.fill(n.type() + ".subject", values),
                texts.get("greeting.anonymous"),
                texts.fill(n.type() + ".body", values),
                texts.facts(n.type(), values));
        return store.record(new MailStore.NewMail(n.eventId(), contact, "contact", n.type(), content, List.of()));
    }
}

package io.kopek.notification;

import io.kopek.billing.Holds;
import io.kopek.billing.Invoice;
import io.kopek.billing.Invoicing;
import io.kopek.outbox.OutboxEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Finds whom and what an event concerns. An event that names an invoice ({@code invoiceId} in its payload) belongs to
 * the invoice's merchant and customer and is ordered with the invoice's other events; the object's state is read by
 * the aggregate's kind from its owner (billing's services, the fiscal gateway's published view). Events of the
 * installation (reconciliation, registry files, jobs) have no merchant.
 */
@Component
class Subjects {

    private final JdbcClient jdbc;
    private final Invoicing invoicing;
    private final Holds holds;

    Subjects(JdbcClient jdbc, Invoicing invoicing, Holds holds) {
        this.jdbc = jdbc;
        this.invoicing = invoicing;
        this.holds = holds;
    }

    Subject of(OutboxEvent event) {
        Long invoiceId = number(event, "invoiceId");
        if ("invoice".equals(event.aggregateType())) {
            invoiceId = Long.valueOf(event.aggregateId());
        }
        Optional<Invoice> invoice = invoiceId == null ? Optional.empty() : invoicing.find(invoiceId);
        ObjectState object = state(event, invoice);
        Long merchantId = invoice.map(Invoice::merchantId).orElse(null);
        Long customerId = Optional.ofNullable(number(event, "customerId"))
                .or(() -> invoice.map(Invoice::customerId))
                .or(() -> customerOf(object))
                .orElse(null);
        String orderingKey =
                invoice.map(i -> "invoice:" + i.id()).orElse(event.aggregateType() + ":" + event.aggregateId());
        return new Subject(merchantId, customerId, orderingKey, object);
    }

    private ObjectState state(OutboxEvent event, Optional<Invoice> invoice) {
        long id;
        try {
            id = Long.parseLong(event.aggregateId());
        } catch (NumberFormatException e) {
            return null;
        }
        return switch (event.aggregateType()) {
            case "invoice", "card_payment" -> invoice.map(Subjects::invoice).orElse(null);
            case "hold" -> holds.find(id).map(Subjects::hold).orElse(null);
            case "payment" -> payment(id);
            case "refund" -> refund(id);
            case "receipt" -> receipt(id);
            default -> null;
        };
    }

    private static Optional<Long> customerOf(ObjectState object) {
        return switch (object) {
            case ObjectState.Invoice i -> Optional.of(i.customerId());
            case ObjectState.Hold h -> Optional.of(h.customerId());
            case ObjectState.Payment p -> Optional.of(p.customerId());
            case null, default -> Optional.empty();
        };
    }

    private static ObjectState.Invoice invoice(Invoice i) {
        return new ObjectState.Invoice(
                i.id(),
                i.number(),
                i.merchantId(),
                i.customerId(),
                i.status().code(),
                i.issueDate(),
                i.dueDate(),
                i.total().minor(),
                i.vatTotal().minor(),
                i.paid().minor(),
                i.refunded().minor(),
                i.outstanding().minor(),
                i.total().currency().getCurrencyCode());
    }

    private static ObjectState.Hold hold(io.kopek.billing.Hold h) {
        return new ObjectState.Hold(
                h.id(),
                h.invoiceId(),
                h.customerId(),
                h.source().code(),
                h.status().code(),
                h.amount().minor(),
                h.captured() == null ? null : h.captured().minor(),
                h.amount().currency().getCurrencyCode(),
                h.expiresAt(),
                h.provider());
    }

    private ObjectState.Payment payment(long id) {
        return jdbc.sql("select payment_id, invoice_id, customer_id, purpose, method, amount, refunded_amount,"
                        + " currency, provider, created_at from billing_payment where payment_id = ?")
                .param(id)
                .query((rs, n) -> new ObjectState.Payment(
                        rs.getLong("payment_id"),
                        nullableLong(rs, "invoice_id"),
                        rs.getLong("customer_id"),
                        rs.getString("purpose"),
                        rs.getString("method"),
                        "succeeded",
                        rs.getLong("amount"),
                        rs.getLong("refunded_amount"),
                        rs.getString("currency"),
                        rs.getString("provider"),
                        instant(rs, "created_at")))
                .optional()
                .orElse(null);
    }

    private ObjectState.Refund refund(long id) {
        return jdbc.sql("select refund_id, invoice_id, payment_id, amount, currency, reason, created_at"
                        + " from billing_refund where refund_id = ?")
                .param(id)
                .query((rs, n) -> new ObjectState.Refund(
                        rs.getLong("refund_id"),
                        nullableLong(rs, "invoice_id"),
                        rs.getLong("payment_id"),
                        rs.getLong("amount"),
                        rs.getString("currency"),
                        rs.getString("reason"),
                        instant(rs, "created_at")))
                .optional()
                .orElse(null);
    }

    private ObjectState.Receipt receipt(long id) {
        return jdbc.sql("select receipt_id, kind, state, invoice_id, payment_id, refund_id, total, currency,"
                        + " fn_number, fiscal_document_number, fiscal_document_attribute, fiscal_receipt_number,"
                        + " registered_at from fiscal_receipt where receipt_id = ?")
                .param(id)
                .query((rs, n) -> new ObjectState.Receipt(
                        rs.getLong("receipt_id"),
                        rs.getString("kind"),
                        rs.getString("state"),
                        nullableLong(rs, "invoice_id"),
                        nullableLong(rs, "payment_id"),
                        nullableLong(rs, "refund_id"),
                        rs.getLong("total"),
                        rs.getString("currency"),
                        rs.getString("fn_number"),
                        nullableLong(rs, "fiscal_document_number"),
                        rs.getString("fiscal_document_attribute"),
                        nullableLong(rs, "fiscal_receipt_number"),
                        instant(rs, "registered_at")))
                .optional()
                .orElse(null);
    }

    private static Long number(OutboxEvent event, String field) {
        return event.payload().get(field) instanceof Number n ? n.longValue() : null;
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }
}

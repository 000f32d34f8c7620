package io.kopek.billing;

import io.kopek.errors.KopekException;
import io.kopek.money.Money;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class InvoiceStore {

    private static final String COLUMNS = "i.id, i.merchant_id, i.customer_id, i.number, i.order_ref, i.currency,"
            + " i.status, i.issue_date, i.due_date, i.total, i.vat_total, i.paid_amount, i.refunded_amount,"
            + " i.created_at, (select coalesce(sum(h.amount), 0) from hold h where h.invoice_id = i.id"
            + " and h.status = 'active') as held";

    /** One invoice with its lines, in one statement: a row per line. */
    private static final String WITH_LINES = "select " + COLUMNS + ", l.line_no, l.product_id, l.name, l.category,"
            + " l.quantity, l.list_price, l.unit_price, l.amount, l.vat_code, l.vat_rate_bp, l.vat_amount, l.rule_id"
            + " from invoice i left join invoice_line l on l.invoice_id = i.id where i.id = ?";

    private static final long[] NO_HOLDS = {};

    private final JdbcClient jdbc;

    InvoiceStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Invoice> find(long id) {
        return jdbc.sql(WITH_LINES + " order by l.line_no").param(id).query(InvoiceStore::withLines);
    }

    /** The amounts of the invoices given that exist, in one statement. */
    Map<Long, InvoiceAmounts> amounts(Collection<Long> ids) {
        Map<Long, InvoiceAmounts> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        jdbc.sql("select id, currency, total, vat_total, paid_amount, refunded_amount from invoice where id = any(?)")
                .param(ids.stream().mapToLong(Long::longValue).toArray())
                .query(rs -> {
                    Currency currency = Currency.getInstance(rs.getString("currency"));
                    long id = rs.getLong("id");
                    found.put(
                            id,
                            new InvoiceAmounts(
                                    id,
                                    new Money(rs.getLong("total"), currency),
                                    new Money(rs.getLong("vat_total"), currency),
                                    new Money(rs.getLong("paid_amount"), currency),
                                    new Money(rs.getLong("refunded_amount"), currency)));
                });
        return found;
    }

    /** Locks the invoice row for the rest of the transaction: every change to an invoice starts here. */
    Invoice lock(long id) {
        Invoice invoice = lockAll(List.of(id), NO_HOLDS).get(id);
        if (invoice == null) {
            throw KopekException.notFound("invoice", id);
        }
        return invoice;
    }

    /**
     * Locks the invoices, and those of the holds given, in id order (as two batches must, so that neither waits for
     * the other holding what it needs), and returns those that exist, by id.
     */
    Map<Long, Invoice> lockAll(Collection<Long> ids, long[] ofHolds) {
        // a function of billing/V6.15 for its plan (written here, this statement would be planned anew on every
        // call) and of V6.16 for the scan of its active holds
        return jdbc.sql("select * from invoice_lock_all(?, ?)")
                .params(ids.stream().mapToLong(Long::longValue).toArray(), ofHolds)
                .query(InvoiceStore::allWithLines);
    }

    List<Invoice> list(InvoiceFilter f) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from invoice i where i.id > :after");
        if (f.customerId() != null) sql.append(" and i.customer_id = :customer");
        if (f.status() != null) sql.append(" and i.status = :status");
        if (f.issuedFrom() != null) sql.append(" and i.issue_date >= :from");
        if (f.issuedTo() != null) sql.append(" and i.issue_date <= :to");
        sql.append(" order by i.id limit :limit");
        return jdbc.sql(sql.toString())
                .param("after", f.afterId())
                .param("customer", f.customerId())
                .param("status", f.status() == null ? null : f.status().code())
                .param("from", f.issuedFrom() == null ? null : Date.valueOf(f.issuedFrom()))
                .param("to", f.issuedTo() == null ? null : Date.valueOf(f.issuedTo()))
                .param("limit", f.limit())
                .query(this::invoice)
                .list();
    }

    void setStatus(long id, InvoiceStatus from, InvoiceStatus to) {
        requireTransition(from, to);
        jdbc.sql("update invoice set status = ?, updated_at = now() where id = ?")
                .params(to.code(), id)
                .update();
    }

    private static void requireTransition(InvoiceStatus from, InvoiceStatus to) {
        if (from != to && !from.canBecome(to)) {
            throw KopekException.conflict(
                    "invalid-invoice-transition", "an invoice that is " + from.code() + " cannot become " + to.code());
        }
    }

    void addRefunded(long id, long amount) {
        jdbc.sql("update invoice set refunded_amount = refunded_amount + ?, updated_at = now() where id = ?")
                .params(amount, id)
                .update();
    }

    /** Lines with what refunds have taken from each so far: {line, refundedAmount, refundedVat}. */
    List<LineState> lineStates(long invoiceId) {
        return jdbc.sql("select line_no, category, amount, vat_rate_bp, vat_code, refunded_amount, refunded_vat"
                        + " from invoice_line where invoice_id = ? order by line_no")
                .param(invoiceId)
                .query((rs, n) -> new LineState(
                        rs.getInt("line_no"),
                        rs.getString("category"),
                        rs.getLong("amount"),
                        rs.getString("vat_code"),
                        rs.getInt("vat_rate_bp"),
                        rs.getLong("refunded_amount"),
                        rs.getLong("refunded_vat")))
                .list();
    }

    void addLineRefund(long invoiceId, int lineNo, long amount, long vat) {
        jdbc.sql("update invoice_line set refunded_amount = refunded_amount + ?, refunded_vat = refunded_vat + ?"
                        + " where invoice_id = ? and line_no = ?")
                .params(amount, vat, invoiceId, lineNo)
                .update();
    }

    record LineState(
            int lineNo,
            String category,
            long amount,
            String vatCode,
            int vatRateBp,
            long refundedAmount,
            long refundedVat) {}

    private Invoice invoice(ResultSet rs, int n) throws SQLException {
        return invoice(rs, lines(rs.getLong("id"), Currency.getInstance(rs.getString("currency"))));
    }

    /** Invoices with their lines from rows of {@link #WITH_LINES}, ordered by invoice. */
    private static Map<Long, Invoice> allWithLines(ResultSet rs) throws SQLException {
        Map<Long, Invoice> invoices = new HashMap<>();
        List<InvoiceLine> lines = null;
        long current = 0;
        while (rs.next()) {
            long id = rs.getLong("id");
            if (lines == null || id != current) {
                lines = new ArrayList<>();
                current = id;
                invoices.put(id, invoice(rs, Collections.unmodifiableList(lines)));
            }
            if (rs.getObject("line_no") != null) {
                lines.add(line(rs, Currency.getInstance(rs.getString("currency"))));
            }
        }
        return invoices;
    }

    /** The one invoice of rows of {@link #WITH_LINES}, if there are any. */
    private static Optional<Invoice> withLines(ResultSet rs) throws SQLException {
        return allWithLines(rs).values().stream().findFirst();
    }

    private static Invoice invoice(ResultSet rs, List<InvoiceLine> lines) throws SQLException {
        Currency currency = Currency.getInstance(rs.getString("currency"));
        long id = rs.getLong("id");
        return new Invoice(
                id,
                rs.getLong("merchant_id"),
                rs.getLong("customer_id"),
                rs.getString("number"),
                rs.getString("order_ref"),
                InvoiceStatus.of(rs.getString("status")),
                // java.time straight from the driver, without the Calendar and java.util.Date of getDate
                rs.getObject("issue_date", LocalDate.class),
                rs.getObject("due_date", LocalDate.class),
                new Money(rs.getLong("total"), currency),
                new Money(rs.getLong("vat_total"), currency),
                new Money(rs.getLong("paid_amount"), currency),
                new Money(rs.getLong("refunded_amount"), currency),
                new Money(rs.getLong("held"), currency),
                lines,
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    private List<InvoiceLine> lines(long invoiceId, Currency currency) {
        return new ArrayList<>(jdbc.sql("select line_no, product_id, name, category, quantity, list_price, unit_price,"
                        + " amount, vat_code, vat_rate_bp, vat_amount, rule_id from invoice_line where invoice_id = ?"
                        + " order by line_no")
                .param(invoiceId)
                .query((rs, n) -> line(rs, currency))
                .list());
    }

    private static InvoiceLine line(ResultSet rs, Currency currency) throws SQLException {
        return new InvoiceLine(
                rs.getInt("line_no"),
                rs.getLong("product_id"),
                rs.getString("name"),
                rs.getString("category"),
                rs.getBigDecimal("quantity").stripTrailingZeros(),
                new Money(rs.getLong("list_price"), currency),
                new Money(rs.getLong("unit_price"), currency),
                new Money(rs.getLong("amount"), currency),
                rs.getString("vat_code"),
                rs.getInt("vat_rate_bp"),
                new Money(rs.getLong("vat_amount"), currency),
                rs.getLong("rule_id"));
    }
}

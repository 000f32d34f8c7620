package io.kopek.search;

import io.kopek.billing.Invoice;
import io.kopek.billing.Invoicing;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.outbox.OutboxEvent;
import io.kopek.reconciliation.Reconciliation;
import io.kopek.reconciliation.ReconciliationRun;
import io.kopek.reconciliation.ResultClass;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The documents of the index, built from the objects as their owners have them now: billing's published views and
 * {@link Invoicing}, the fiscal gateway's {@code fiscal_receipt}, reconciliation's views and {@link Reconciliation}.
 * One builder per kind, shared by the consumer (an event's objects), the reindex (every object of a kind, in pages) and
 * whatever compares the index with PostgreSQL; it needs no engine.
 */
@Component
public class Documents {

    /** Rows read per page when a kind is streamed whole. */
    static final int PAGE = 1000;

    private static final String PAYMENTS =
            "select p.payment_id, p.invoice_id, i.number as invoice_number, i.merchant_id,"
                    + " i.merchant_code, p.customer_id, p.purpose, p.method, p.provider, p.amount,"
                    + " p.refunded_amount as refunded, p.currency, p.created_at"
                    + " from billing_payment p left join billing_invoice_header i on i.invoice_id = p.invoice_id";
    private static final String REFUNDS = "select r.refund_id, r.invoice_id, i.number as invoice_number, i.merchant_id,"
            + " i.merchant_code, p.customer_id, r.payment_id, p.method, p.provider, r.amount, r.currency, r.reason,"
            + " r.created_at from billing_refund r join billing_payment p on p.payment_id = r.payment_id"
            + " left join billing_invoice_header i on i.invoice_id = r.invoice_id";
    private static final String INVOICES =
            "select i.invoice_id, i.number, i.merchant_id, i.merchant_code, i.customer_id,"
                    + " i.status, i.issue_date, i.due_date, i.total, i.currency, i.created_at from billing_invoice_header i";
    private static final String HOLDS = "select h.hold_id, h.invoice_id, i.merchant_id, i.merchant_code, h.customer_id,"
            + " h.source, h.provider, h.status, h.amount, h.captured_amount as captured, h.currency, h.expires_at,"
            + " h.created_at, h.resolved_at from billing_hold h left join billing_invoice_header i on i.invoice_id ="
            + " h.invoice_id";
    private static final String RECEIPTS =
            "select r.receipt_id, r.kind, r.state, r.invoice_id, r.payment_id, r.refund_id,"
                    + " r.customer_id, r.total, r.currency, r.exemption, r.fn_number, r.fiscal_document_number,"
                    + " r.fiscal_receipt_number, r.created_at, r.done_at from fiscal_receipt r";
    // The result line of the discrepancy's item in the run that last saw it gives the provider's payment id.
    private static final String DISCREPANCIES = "select d.discrepancy_id, d.last_run_id as run_id, d.provider,"
            + " d.business_date, d.result, l.provider_payment_id, d.amount, d.currency, d.status <> 'open' as resolved,"
            + " coalesce(d.resolution, case when d.status = 'cleared' then 'cleared' end) as resolution,"
            + " d.resolved_by, d.resolved_at, d.created_at from reconciliation_discrepancy d"
            + " left join lateral (select provider_payment_id from reconciliation_result_line l"
            + " where l.run_id = d.last_run_id and l.item_key = d.item_key limit 1) l on true";

    private final JdbcClient jdbc;
    private final Invoicing invoicing;
    private final Reconciliation reconciliation;
    private final BusinessCalendar calendar;

    Documents(JdbcClient jdbc, Invoicing invoicing, Reconciliation reconciliation, BusinessCalendar calendar) {
        this.jdbc = jdbc;
        this.invoicing = invoicing;
        this.reconciliation = reconciliation;
        this.calendar = calendar;
    }

    /** The document of an object as it is now; empty when there is no such object. */
    public Optional<Document> of(Kind kind, long id) {
        if (kind == Kind.RECONCILIATION_RUNS) {
            return reconciliation
                    .find(id)
                    .filter(run -> "done".equals(run.status()))
                    .map(this::run);
        }
        List<Document> found = jdbc.sql(select(kind) + " where " + key(kind) + " = ?")
                .param(id)
                .query((rs, n) -> document(kind, rs))
                .list();
        return found.stream().findFirst();
    }

    /**
     * Every document of a kind, in pages of {@link #PAGE} by id, each page read on its own: a page shows the objects
     * as they are when it is read (what changes meanwhile has an event after the reader's starting point).
     */
    public void all(Kind kind, Consumer<Document> sink) {
        long after = 0;
        while (true) {
            List<Document> page = page(kind, after, PAGE);
            page.forEach(sink);
            if (page.size() < PAGE) {
                return;
            }
            after = Long.parseLong(page.getLast().id());
        }
    }

    /** A page of a kind's documents after the id given, in id order. */
    public List<Document> page(Kind kind, long afterId, int limit) {
        if (kind == Kind.RECONCILIATION_RUNS) {
            // Runs are few; reconciliation publishes the last finished run of each provider's day.
            return jdbc
                    .sql("select run_id from reconciliation_last_run where run_id > ? order by run_id limit ?")
                    .params(afterId, limit)
                    .query(Long.class)
                    .list()
                    .stream()
                    .map(id -> of(Kind.RECONCILIATION_RUNS, id))
                    .flatMap(Optional::stream)
                    .toList();
        }
        return jdbc.sql(select(kind) + " where " + key(kind) + " > ? order by " + key(kind) + " limit ?")
                .params(afterId, limit)
                .query((rs, n) -> document(kind, rs))
                .list();
    }

    /**
     * The documents an event changes, of the kinds wanted, as they are now: an invoice's events its invoice; a payment
     * its payment and invoice; a refund its refund, payment and invoice; a hold's its hold and invoice; a fiscal event
     * its receipt; a completed reconciliation its run and every discrepancy of its provider's day (streamed, however
     * many); a resolution its discrepancy. Other events change nothing indexed.
     */
    public void forEvent(OutboxEvent event, Set<Kind> wanted, Consumer<Document> sink) {
        Map<?, ?> p = event.payload();
        String type = event.type();
        if (type.startsWith("invoice.")) {
            emit(Kind.INVOICES, p.get("invoiceId"), wanted, sink);
        } else if (type.equals("payment.succeeded") || type.equals("balance.topped_up")) {
            emit(Kind.PAYMENTS, p.get("paymentId"), wanted, sink);
            emit(Kind.INVOICES, p.get("invoiceId"), wanted, sink);
        } else if (type.equals("refund.succeeded") || type.equals("balance.refunded")) {
            emit(Kind.REFUNDS, p.get("refundId"), wanted, sink);
            emit(Kind.PAYMENTS, p.get("paymentId"), wanted, sink);
            emit(Kind.INVOICES, p.get("invoiceId"), wanted, sink);
        } else if (type.startsWith("hold.")) {
            emit(Kind.HOLDS, p.get("holdId"), wanted, sink);
            emit(Kind.PAYMENTS, p.get("paymentId"), wanted, sink);
            emit(Kind.INVOICES, p.get("invoiceId"), wanted, sink);
        } else if (type.startsWith("fiscal.receipt_")) {
            emit(Kind.RECEIPTS, p.get("receiptId"), wanted, sink);
        } else if (type.equals("reconciliation.completed")) {
            emit(Kind.RECONCILIATION_RUNS, p.get("runId"), wanted, sink);
            if (wanted.contains(Kind.DISCREPANCIES)) {
                discrepanciesOf((String) p.get("provider"), LocalDate.parse((String) p.get("businessDate")), sink);
            }
        } else if (type.equals("discrepancy.resolved")) {
            emit(Kind.DISCREPANCIES, p.get("discrepancyId"), wanted, sink);
        }
    }

    /** Every kind: what the consumer wants of each event. */
    static final Set<Kind> ALL = EnumSet.allOf(Kind.class);

    private void emit(Kind kind, Object id, Set<Kind> wanted, Consumer<Document> sink) {
        if (id instanceof Number number && wanted.contains(kind)) {
            of(kind, number.longValue()).ifPresent(sink);
        }
    }

    private void discrepanciesOf(String provider, LocalDate day, Consumer<Document> sink) {
        long after = 0;
        while (true) {
            List<Document> page = jdbc.sql(DISCREPANCIES + " where d.provider = ? and d.business_date = ?"
                            + " and d.discrepancy_id > ? order by d.discrepancy_id limit ?")
                    .params(provider, day, after, PAGE)
                    .query((rs, n) -> document(Kind.DISCREPANCIES, rs))
                    .list();
            page.forEach(sink);
            if (page.size() < PAGE) {
                return;
            }
            after = Long.parseLong(page.getLast().id());
        }
    }

    private Document run(ReconciliationRun run) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("run_id", run.id());
        source.put("provider", run.provider());
        source.put("business_date", run.businessDate().toString());
        put(source, "finished_at", run.finishedAt());
        put(source, "lines", run.registryLines());
        if (run.summary() != null) {
            long matched = 0;
            long other = 0;
            for (var result : run.summary().results().entrySet()) {
                if (result.getKey().equals(ResultClass.MATCHED.code())) {
                    matched += result.getValue().count();
                } else {
                    other += result.getValue().count();
                }
            }
            source.put("matched", matched);
            source.put("discrepancies", other);
            var settlement = run.summary().settlement();
            if (settlement != null) {
                source.put("registry_settles", settlement.registrySettles());
                source.put("ledger_expects", settlement.ledgerExpects());
                source.put("registry_commission", settlement.registryCommission());
            }
        }
        jdbc.sql("select currency from reconciliation_result_line where run_id = ? and currency is not null limit 1")
                .param(run.id())
                .query(String.class)
                .optional()
                .ifPresent(currency -> source.put("currency", currency));
        return new Document(Kind.RECONCILIATION_RUNS, Long.toString(run.id()), source);
    }

    private static String select(Kind kind) {
        return switch (kind) {
            case PAYMENTS -> PAYMENTS;
            case REFUNDS -> REFUNDS;
            case INVOICES -> INVOICES;
            case HOLDS -> HOLDS;
            case RECEIPTS -> RECEIPTS;
            case DISCREPANCIES -> DISCREPANCIES;
            case RECONCILIATION_RUNS -> throw new IllegalArgumentException("runs are read through Reconciliation");
        };
    }

    private static String key(Kind kind) {
        return switch (kind) {
            case PAYMENTS -> "p.payment_id";
            case REFUNDS -> "r.refund_id";
            case INVOICES -> "i.invoice_id";
            case HOLDS -> "h.hold_id";
            case RECEIPTS -> "r.receipt_id";
            case DISCREPANCIES -> "d.discrepancy_id";
            case RECONCILIATION_RUNS -> "run_id";
        };
    }

    private Document document(Kind kind, ResultSet rs) throws SQLException {
        Map<String, Object> source = new LinkedHashMap<>();
        ResultSetMetaData meta = rs.getMetaData();
        for (int c = 1; c <= meta.getColumnCount(); c++) {
            Object value = rs.getObject(c);
            if (value instanceof Timestamp t) {
                value = t.toInstant().toString();
            } else if (value instanceof java.sql.Date d) {
                value = d.toLocalDate().toString();
            } else if (value instanceof Number n && !(value instanceof Long)) {
                value = n.longValue();
            }
            put(source, meta.getColumnLabel(c), value);
        }
        String id = String.valueOf(rs.getLong(1));
        if (kind == Kind.PAYMENTS || kind == Kind.REFUNDS || kind == Kind.RECEIPTS) {
            Timestamp created = rs.getTimestamp("created_at");
            source.put(
                    "business_date",
                    LocalDate.ofInstant(created.toInstant(), calendar.zone()).toString());
        }
        if (kind == Kind.INVOICES) {
            Invoice invoice = invoicing.get(rs.getLong(1));
            source.put("vat", invoice.vatTotal().minor());
            source.put("paid", invoice.paid().minor());
            source.put("refunded", invoice.refunded().minor());
            // What the customer still owes: money held towards the invoice is not paid yet, so it stays a receivable
            // (Invoice.outstanding() is what can still be paid or held, which is not the same).
            source.put("outstanding", invoice.total().minus(invoice.paid()).minor());
        }
        return new Document(kind, id, source);
    }

    private static void put(Map<String, Object> source, String field, Object value) {
        if (value != null) {
            source.put(field, value instanceof Instant instant ? instant.toString() : value);
        }
    }
}

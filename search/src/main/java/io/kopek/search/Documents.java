package io.kopek.search;

import io.kopek.billing.InvoiceAmounts;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
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
            + " where l.business_date = d.business_date and l.run_id = d.last_run_id and l.item_key = d.item_key"
            + " limit 1) l on true";

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
        List<Document> found = new ArrayList<>(1);
        of(kind, List.of(id), found::add);
        return found.stream().findFirst();
    }

    /**
     * The documents of the objects given as they are now, read {@link #PAGE} ids a statement ({@code where <key> =
     * any(?)}, the columns and builder of {@link #page}); the ids without an object are left out, the order is the
     * database's.
     */
    public void of(Kind kind, Collection<Long> ids, Consumer<Document> sink) {
        if (kind == Kind.RECONCILIATION_RUNS) {
            // runs are few, and Reconciliation builds them with their summary
            for (long id : ids) {
                reconciliation
                        .find(id)
                        .filter(run -> "done".equals(run.status()))
                        .map(this::run)
                        .ifPresent(sink);
            }
            return;
        }
        long[] all = ids.stream().mapToLong(Long::longValue).toArray();
        for (int from = 0; from < all.length; from += PAGE) {
            long[] chunk = Arrays.copyOfRange(all, from, Math.min(all.length, from + PAGE));
            read(kind, " where " + key(kind) + " = any(?)", chunk).forEach(sink);
        }
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
        return read(kind, " where " + key(kind) + " > ? order by " + key(kind) + " limit ?", afterId, limit);
    }

    /**
     * The kind's documents of one statement: its columns, then the condition given. Invoices get their amounts from
     * {@link Invoicing#amounts}, one call for all the statement's rows.
     */
    private List<Document> read(Kind kind, String condition, Object... params) {
        List<Document> documents = jdbc.sql(select(kind) + condition)
                .params(params)
                .query((rs, n) -> document(kind, rs))
                .list();
        if (kind == Kind.INVOICES && !documents.isEmpty()) {
            Map<Long, InvoiceAmounts> amounts = invoicing.amounts(
                    documents.stream().map(d -> Long.parseLong(d.id())).toList());
            for (Document document : documents) {
                InvoiceAmounts invoice = amounts.get(Long.parseLong(document.id()));
                Map<String, Object> source = document.source();
                source.put("vat", invoice.vatTotal().minor());
                source.put("paid", invoice.paid().minor());
                source.put("refunded", invoice.refunded().minor());
                // What the customer still owes: money held towards the invoice is not paid yet, so it stays a
                // receivable (Invoice.outstanding() is what can still be paid or held, which is not the same).
                source.put("outstanding", invoice.total().minus(invoice.paid()).minor());
            }
        }
        return documents;
    }

    /** A document and its external version. */
    @FunctionalInterface
    public interface VersionedSink {
        void accept(Document document, long version);
    }

    /**
     * The documents an event changes, of the kinds wanted, as they are now: an invoice's events its invoice; a payment
     * its payment and invoice; a refund its refund, payment and invoice; a hold's its hold and invoice; a fiscal event
     * its receipt; a completed reconciliation its run and every discrepancy of its provider's day (streamed, however
     * many); a resolution its discrepancy. Other events change nothing indexed.
     */
    public void forEvent(OutboxEvent event, Set<Kind> wanted, Consumer<Document> sink) {
        forEvents(List.of(event), wanted, (document, version) -> sink.accept(document));
    }

    /**
     * The documents a run of events changes ({@link #forEvent}'s), each once, with the id of the newest event that
     * changed it as its version: the ids are grouped by kind and read a page a statement, a reconciled day's
     * discrepancies a page at a time. The same documents at the same final versions as the events one by one, since
     * each is read as it is now.
     */
    public void forEvents(List<OutboxEvent> events, Set<Kind> wanted, VersionedSink sink) {
        Map<Kind, Map<Long, Long>> touched = new EnumMap<>(Kind.class);
        Map<Day, Long> days = new LinkedHashMap<>();
        for (OutboxEvent event : events) {
            touches(
                    event,
                    wanted,
                    (kind, id) -> touched.computeIfAbsent(kind, k -> new LinkedHashMap<>())
                            .merge(id, event.id(), Math::max));
            if (event.type().equals("reconciliation.completed") && wanted.contains(Kind.DISCREPANCIES)) {
                Map<?, ?> p = event.payload();
                days.merge(
                        new Day((String) p.get("provider"), LocalDate.parse((String) p.get("businessDate"))),
                        event.id(),
                        Math::max);
            }
        }
        Map<Long, Long> resolved = touched.getOrDefault(Kind.DISCREPANCIES, new HashMap<>());
        for (var day : days.entrySet()) {
            discrepanciesOf(day.getKey(), document -> {
                // a discrepancy also resolved in this run is written once, at the newer of the two events
                Long alone = resolved.remove(Long.parseLong(document.id()));
                sink.accept(document, alone == null ? day.getValue() : Math.max(alone, day.getValue()));
            });
        }
        for (var kind : touched.entrySet()) {
            Map<Long, Long> versions = kind.getValue();
            of(
                    kind.getKey(),
                    versions.keySet(),
                    document -> sink.accept(document, versions.get(Long.parseLong(document.id()))));
        }
    }

    /** Every kind: what the consumer wants of each event. */
    static final Set<Kind> ALL = EnumSet.allOf(Kind.class);

    private record Day(String provider, LocalDate date) {}

    /** The objects an event changes, of the kinds wanted, by id (a reconciled day's discrepancies aside). */
    private static void touches(OutboxEvent event, Set<Kind> wanted, BiConsumer<Kind, Long> touched) {
        Map<?, ?> p = event.payload();
        String type = event.type();
        BiConsumer<Kind, Object> touch = (kind, id) -> {
            if (id instanceof Number number && wanted.contains(kind)) {
                touched.accept(kind, number.longValue());
            }
        };
        if (type.startsWith("invoice.")) {
            touch.accept(Kind.INVOICES, p.get("invoiceId"));
        } else if (type.equals("payment.succeeded") || type.equals("balance.topped_up")) {
            touch.accept(Kind.PAYMENTS, p.get("paymentId"));
            touch.accept(Kind.INVOICES, p.get("invoiceId"));
        } else if (type.equals("refund.succeeded") || type.equals("balance.refunded")) {
            touch.accept(Kind.REFUNDS, p.get("refundId"));
            touch.accept(Kind.PAYMENTS, p.get("paymentId"));
            touch.accept(Kind.INVOICES, p.get("invoiceId"));
        } else if (type.startsWith("hold.")) {
            touch.accept(Kind.HOLDS, p.get("holdId"));
            touch.accept(Kind.PAYMENTS, p.get("paymentId"));
            touch.accept(Kind.INVOICES, p.get("invoiceId"));
        } else if (type.startsWith("fiscal.receipt_")) {
            touch.accept(Kind.RECEIPTS, p.get("receiptId"));
        } else if (type.equals("reconciliation.completed")) {
            touch.accept(Kind.RECONCILIATION_RUNS, p.get("runId"));
        } else if (type.equals("discrepancy.resolved")) {
            touch.accept(Kind.DISCREPANCIES, p.get("discrepancyId"));
        }
    }

    private void discrepanciesOf(Day day, Consumer<Document> sink) {
        long after = 0;
        while (true) {
            List<Document> page = read(
                    Kind.DISCREPANCIES,
                    " where d.provider = ? and d.business_date = ? and d.discrepancy_id > ? order by d.discrepancy_id"
                            + " limit ?",
                    day.provider(),
                    day.date(),
                    after,
                    PAGE);
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
        jdbc.sql("select currency from reconciliation_result_line where business_date = ? and run_id = ?"
                        + " and currency is not null limit 1")
                .params(run.businessDate(), run.id())
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
        return new Document(kind, id, source);
    }

    private static void put(Map<String, Object> source, String field, Object value) {
        if (value != null) {
            source.put(field, value instanceof Instant instant ? instant.toString() : value);
        }
    }
}

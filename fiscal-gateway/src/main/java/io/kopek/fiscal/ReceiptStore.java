package io.kopek.fiscal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** The {@code receipt} table. Every change of state is guarded by the state it leaves. */
@Component
class ReceiptStore {

    static final String COLUMNS = "id, event_key, kind, state, invoice_id, payment_id, refund_id, customer_id,"
            + " document::text as document, operator, operator_uuid, attempts, next_attempt_at, last_error,"
            + " fn_number, fiscal_document_number, fiscal_document_attribute, fiscal_receipt_number, shift_number,"
            + " registered_at, ecr_registration_number, fns_site, ofd_receipt_url, created_at, sent_at, done_at, exemption, external_id, resends";

    /** The stored document's own JSON conventions, whatever the application's mapper does. */
    static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    /**
     * A receipt to be inserted: pending when {@code error} and {@code exemption} are null; invalid with the error
     * as the reason; exempt with the exemption as the reason (its document is what the event would have declared,
     * kept for the record and never sent). {@code expected} is the money of the event it records, by payment
     * type, from the event itself; null for a correction, whose payments are the operator's.
     */
    record NewReceipt(
            String eventKey,
            ReceiptDocument document,
            Long invoiceId,
            Long paymentId,
            Long refundId,
            Long customerId,
            ReceiptValidation.Settlement expected,
            String error,
            String exemption) {

        NewReceipt withError(String error) {
            return new NewReceipt(
                    eventKey, document, invoiceId, paymentId, refundId, customerId, expected, error, null);
        }

        NewReceipt exempt(String why) {
            return new NewReceipt(eventKey, document, invoiceId, paymentId, refundId, customerId, expected, null, why);
        }

        ReceiptState state() {
            return error != null
                    ? ReceiptState.INVALID
                    : exemption != null ? ReceiptState.EXEMPT : ReceiptState.PENDING;
        }
    }

    private final JdbcClient jdbc;

    ReceiptStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts it unless a receipt for the same event exists; empty when one did. */
    Optional<Long> insert(NewReceipt r, String operator, Instant now) {
        ReceiptState state = r.state();
        return jdbc.sql("insert into receipt (event_key, kind, state, invoice_id, payment_id, refund_id, customer_id,"
                        + " total, currency, document, operator, next_attempt_at, last_error, exemption)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)"
                        + " on conflict (event_key) do nothing returning id")
                .params(
                        r.eventKey(),
                        r.document().kind().code(),
                        state.code(),
                        r.invoiceId(),
                        r.paymentId(),
                        r.refundId(),
                        r.customerId(),
                        r.document().total(),
                        r.document().currency() == null ? "RUB" : r.document().currency(),
                        JSON.writeValueAsString(r.document()),
                        operator,
                        Timestamp.from(now),
                        r.error(),
                        r.exemption())
                .query(Long.class)
                .optional();
    }

    /**
     * Takes up to {@code limit} receipts in {@code state} that are due, skipping those another worker holds, and
     * leases them: their next attempt moves to {@code leaseUntil}, so no other worker takes them meanwhile even
     * after this transaction commits. A worker that dies leaves them to be taken again when the lease ends.
     * {@code except}: those this worker has handled in the current pass already.
     */
    List<Receipt> claim(
            ReceiptState state, Instant now, Instant leaseUntil, int limit, boolean countAttempt, Long[] except) {
        return jdbc.sql("with due as (select id as due_id from receipt where state = ? and next_attempt_at <= ?"
                        + " and not (id = any (?::bigint[])) order by next_attempt_at, id limit ? for update skip locked)"
                        + " update receipt set next_attempt_at = ?, attempts = attempts + ?, updated_at = now()"
                        + " from due where id = due.due_id returning " + COLUMNS)
                .params(
                        state.code(),
                        Timestamp.from(now),
                        except,
                        limit,
                        Timestamp.from(leaseUntil),
                        countAttempt ? 1 : 0)
                .query(ReceiptStore::row)
                .list();
    }

    void externalId(long id, String externalId) {
        jdbc.sql("update receipt set external_id = ? where id = ?")
                .params(externalId, id)
                .update();
    }

    /** The operator's ids of the receipt's attempts that it reported failed. */
    List<String> failedUuids(long id) {
        return jdbc.sql("select unnest(failed_uuids) from receipt where id = ?")
                .param(id)
                .query(String.class)
                .list();
    }

    /**
     * Back to pending under {@code externalId}, the failed attempt's uuid kept to be checked again before the
     * resend.
     */
    boolean resend(long id, String failedUuid, String externalId, Instant at, String error) {
        return jdbc.sql("update receipt set state = 'pending', failed_uuids = failed_uuids || ?::text,"
                                + " operator_uuid = null, external_id = ?, resends = resends + 1, next_attempt_at = ?,"
                                + " last_error = ?, updated_at = now() where id = ? and state = 'waiting'")
                        .params(failedUuid, externalId, Timestamp.from(at), error, id)
                        .update()
                == 1;
    }

    /** The receipt, locked until the transaction ends. */
    Optional<Receipt> lock(long id) {
        return jdbc.sql("select " + COLUMNS + " from receipt where id = ? for update")
                .param(id)
                .query(ReceiptStore::row)
                .optional();
    }

    /**
     * A failed receipt back to pending, due at {@code at}, under {@code externalId}; the failed attempt's uuid, when
     * the operator had accepted it, kept to be checked again before the send (and the send counted as a resend).
     */
    boolean pendingAgain(long id, String failedUuid, String externalId, Instant at) {
        return jdbc.sql("update receipt set state = 'pending', failed_uuids = case when ?::text is null then"
                                + " failed_uuids else failed_uuids || ?::text end, operator_uuid = null,"
                                + " resends = resends + case when ?::text is null then 0 else 1 end,"
                                + " external_id = ?, next_attempt_at = ?, updated_at = now()"
                                + " where id = ? and state = 'failed'")
                        .params(failedUuid, failedUuid, failedUuid, externalId, Timestamp.from(at), id)
                        .update()
                == 1;
    }

    void resendAsked(long id, String actor, String reason, String externalId) {
        jdbc.sql("insert into receipt_resend (receipt_id, actor, reason, external_id) values (?, ?, ?, ?)")
                .params(id, actor, reason, externalId)
                .update();
    }

    boolean accepted(long id, String operatorUuid, Instant now, Instant pollAt) {
        return jdbc.sql("update receipt set state = 'waiting', operator_uuid = ?, sent_at = ?, next_attempt_at = ?,"
                                + " last_error = null, updated_at = now() where id = ? and state = 'pending'")
                        .params(operatorUuid, Timestamp.from(now), Timestamp.from(pollAt), id)
                        .update()
                == 1;
    }

    boolean later(long id, ReceiptState state, Instant at, String error) {
        return jdbc.sql("update receipt set next_attempt_at = ?, last_error = ?, updated_at = now()"
                                + " where id = ? and state = ?")
                        .params(Timestamp.from(at), error, id, state.code())
                        .update()
                == 1;
    }

    boolean stop(long id, ReceiptState from, ReceiptState to, String error) {
        return jdbc.sql("update receipt set state = ?, last_error = ?, updated_at = now() where id = ? and state = ?")
                        .params(to.code(), error, id, from.code())
                        .update()
                == 1;
    }

    boolean done(long id, FiscalAttributes a, Instant now) {
        return jdbc.sql(
                                "update receipt set state = 'done', fn_number = ?, fiscal_document_number = ?,"
                                        + " fiscal_document_attribute = ?, fiscal_receipt_number = ?, shift_number = ?,"
                                        + " registered_at = ?, ecr_registration_number = ?, fns_site = ?, ofd_receipt_url = ?,"
                                        + " done_at = ?, last_error = null, updated_at = now() where id = ? and state = 'waiting'")
                        .params(
                                a.fnNumber(),
                                a.fiscalDocumentNumber(),
                                a.fiscalDocumentAttribute(),
                                a.fiscalReceiptNumber(),
                                a.shiftNumber(),
                                a.registeredAt() == null ? null : Timestamp.from(a.registeredAt()),
                                a.ecrRegistrationNumber(),
                                a.fnsSite(),
                                a.ofdReceiptUrl(),
                                Timestamp.from(now),
                                id)
                        .update()
                == 1;
    }

    Optional<Receipt> find(long id) {
        return jdbc.sql("select " + COLUMNS + " from receipt where id = ?")
                .param(id)
                .query(ReceiptStore::row)
                .optional();
    }

    Optional<Receipt> byEventKey(String key) {
        return jdbc.sql("select " + COLUMNS + " from receipt where event_key = ?")
                .param(key)
                .query(ReceiptStore::row)
                .optional();
    }

    List<Receipt> ofInvoice(long invoiceId) {
        return jdbc.sql("select " + COLUMNS + " from receipt where invoice_id = ? order by id")
                .param(invoiceId)
                .query(ReceiptStore::row)
                .list();
    }

    static Receipt row(ResultSet rs, int n) throws SQLException {
        String fn = rs.getString("fn_number");
        FiscalAttributes attributes = fn == null
                ? null
                : new FiscalAttributes(
                        fn,
                        rs.getLong("fiscal_document_number"),
                        rs.getString("fiscal_document_attribute"),
                        (Long) rs.getObject("fiscal_receipt_number"),
                        (Integer) rs.getObject("shift_number"),
                        instant(rs, "registered_at"),
                        rs.getString("ecr_registration_number"),
                        rs.getString("fns_site"),
                        rs.getString("ofd_receipt_url"));
        return new Receipt(
                rs.getLong("id"),
                rs.getString("event_key"),
                ReceiptKind.of(rs.getString("kind")),
                ReceiptState.of(rs.getString("state")),
                (Long) rs.getObject("invoice_id"),
                (Long) rs.getObject("payment_id"),
                (Long) rs.getObject("refund_id"),
                (Long) rs.getObject("customer_id"),
                JSON.readValue(rs.getString("document"), ReceiptDocument.class),
                rs.getString("operator"),
                rs.getString("operator_uuid"),
                rs.getInt("attempts"),
                instant(rs, "next_attempt_at"),
                rs.getString("last_error"),
                attributes,
                instant(rs, "created_at"),
                instant(rs, "sent_at"),
                instant(rs, "done_at"),
                rs.getString("exemption"),
                rs.getString("external_id"),
                rs.getInt("resends"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}

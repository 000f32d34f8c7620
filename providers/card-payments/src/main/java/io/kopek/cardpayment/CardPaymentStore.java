package io.kopek.cardpayment;

import io.kopek.errors.KopekException;
import io.kopek.money.Money;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code card_payment} and {@code card_refund} tables. */
@Component
class CardPaymentStore {

    private static final String COLUMNS = "id, invoice_id, customer_id, provider, two_stage, amount, currency,"
            + " captured_amount, status, order_number, provider_payment_id, confirmation_url, card_mask,"
            + " failure_reason, hold_id, payment_id, pending_operation, idempotency_key, checks, return_url,"
            + " created_at, updated_at";
    private static final String REFUND_COLUMNS = "id, card_payment_id, amount, currency, reason, status,"
            + " provider_refund_id, refund_id, failure_reason, created_at, idempotency_key";

    /** A card payment with what only this module needs: its create's idempotency key, checks, return URL. */
    record Row(CardPayment payment, UUID idempotencyKey, int checks, String returnUrl) {
        long id() {
            return payment.id();
        }
    }

    record RefundRow(CardRefund refund, UUID idempotencyKey) {}

    private final JdbcClient jdbc;

    CardPaymentStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Serialises the starts of card payments on one invoice until the transaction ends. */
    void lockInvoiceAttempts(long invoiceId) {
        jdbc.sql("select pg_advisory_xact_lock(hashtext('card_payment'), ?::int)")
                .param((int) invoiceId)
                .query()
                .singleRow();
    }

    int attemptsOf(long invoiceId) {
        return jdbc.sql("select count(*) from card_payment where invoice_id = ?")
                .param(invoiceId)
                .query(Integer.class)
                .single();
    }

    /** What card payments of the invoice may still charge: those not yet authorised, charged or over. */
    long inFlight(long invoiceId) {
        return jdbc.sql("select coalesce(sum(amount), 0) from card_payment where invoice_id = ?"
                        + " and status in ('creating', 'unknown', 'pending')")
                .param(invoiceId)
                .query(Long.class)
                .single();
    }

    long insert(
            long invoiceId,
            long customerId,
            String provider,
            boolean twoStage,
            Money amount,
            String orderNumber,
            String requestKey,
            String returnUrl,
            Instant checkAfter) {
        return jdbc.sql("insert into card_payment (invoice_id, customer_id, provider, two_stage, amount, currency,"
                        + " order_number, idempotency_key, request_key, return_url, status, check_after)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'creating', ?) returning id")
                .params(
                        invoiceId,
                        customerId,
                        provider,
                        twoStage,
                        amount.minor(),
                        amount.currency().getCurrencyCode(),
                        orderNumber,
                        UUID.randomUUID(),
                        requestKey,
                        returnUrl,
                        Timestamp.from(checkAfter))
                .query(Long.class)
                .single();
    }

    Optional<Row> find(long id) {
        return one("where id = ?", id);
    }

    Row get(long id) {
        return find(id).orElseThrow(() -> KopekException.notFound("card payment", id));
    }

    /** Locks the card payment until the transaction ends: every change to one starts here. */
    Row lock(long id) {
        return jdbc.sql("select " + COLUMNS + " from card_payment where id = ? for update")
                .param(id)
                .query(CardPaymentStore::row)
                .optional()
                .orElseThrow(() -> KopekException.notFound("card payment", id));
    }

    Optional<Row> byRequestKey(String requestKey) {
        return one("where request_key = ?", requestKey);
    }

    /** The payment a provider's view names: by its id, or by our order number when the id is not ours yet. */
    Optional<Row> byProviderView(String provider, String providerPaymentId, String orderNumber) {
        Optional<Row> byId = one("where provider = ? and provider_payment_id = ?", provider, providerPaymentId);
        if (byId.isPresent() || orderNumber == null) {
            return byId;
        }
        return one("where provider = ? and order_number = ?", provider, orderNumber);
    }

    List<CardPayment> ofInvoice(long invoiceId) {
        return jdbc
                .sql("select " + COLUMNS + " from card_payment where invoice_id = ? order by id")
                .param(invoiceId)
                .query(CardPaymentStore::row)
                .list()
                .stream()
                .map(Row::payment)
                .toList();
    }

    /** Card payments whose provider should be asked again, oldest check first. */
    List<Long> dueForCheck(Instant now, int limit) {
        return jdbc.sql("select id from card_payment where check_after <= ? order by check_after limit ?")
                .params(Timestamp.from(now), limit)
                .query(Long.class)
                .list();
    }

    void recordProviderView(
            long id, String providerPaymentId, String confirmationUrl, String cardMask, String failureReason) {
        jdbc.sql("update card_payment set provider_payment_id = coalesce(provider_payment_id, ?),"
                        + " confirmation_url = coalesce(?, confirmation_url), card_mask = coalesce(?, card_mask),"
                        + " failure_reason = coalesce(?, failure_reason), updated_at = now() where id = ?")
                .params(providerPaymentId, confirmationUrl, cardMask, failureReason, id)
                .update();
    }

    void setStatus(long id, CardPayment.Status status, Instant checkAfter) {
        jdbc.sql("update card_payment set status = ?, check_after = ?, updated_at = now() where id = ?")
                .params(status.code(), Timestamp.from(checkAfter), id)
                .update();
    }

    void end(long id, CardPayment.Status status, String reason) {
        jdbc.sql("update card_payment set status = ?, failure_reason = coalesce(?, failure_reason),"
                        + " check_after = 'infinity', pending_operation = null, pending_amount = null,"
                        + " updated_at = now() where id = ?")
                .params(status.code(), reason, id)
                .update();
    }

    void setHold(long id, long holdId) {
        jdbc.sql("update card_payment set hold_id = ?, updated_at = now() where id = ?")
                .params(holdId, id)
                .update();
    }

    void setCharged(long id, long paymentId, Money captured) {
        jdbc.sql("update card_payment set status = 'succeeded', payment_id = ?, captured_amount = ?,"
                        + " pending_operation = null, pending_amount = null, check_after = 'infinity',"
                        + " updated_at = now() where id = ?")
                .params(paymentId, captured.minor(), id)
                .update();
    }

    void setPendingOperation(long id, String operation, Money amount, Instant checkAfter) {
        jdbc.sql("update card_payment set pending_operation = ?, pending_amount = ?, check_after = ?,"
                        + " updated_at = now() where id = ?")
                .params(operation, amount == null ? null : amount.minor(), Timestamp.from(checkAfter), id)
                .update();
    }

    /** When the provider is asked about the payment next ({@code checks} counts the times nothing changed). */
    void checkAt(long id, Instant checkAfter, boolean unchanged) {
        jdbc.sql("update card_payment set checks = case when ? then checks + 1 else 0 end, check_after = ?"
                        + " where id = ?")
                .params(unchanged, Timestamp.from(checkAfter), id)
                .update();
    }

    /** Nothing left to ask the provider about. */
    void park(long id) {
        jdbc.sql("update card_payment set check_after = 'infinity' where id = ?")
                .param(id)
                .update();
    }

    /** Open refunds: asked of the provider and not yet known to have succeeded or failed, oldest first. */
    List<RefundRow> openRefunds(long cardPaymentId) {
        return jdbc.sql("select " + REFUND_COLUMNS + " from card_refund where card_payment_id = ?"
                        + " and status in ('pending', 'unknown') order by id")
                .param(cardPaymentId)
                .query(CardPaymentStore::refundRow)
                .list();
    }

    // --- refunds ------------------------------------------------------------------------------------------------

    long insertRefund(long cardPaymentId, Money amount, String reason, String requestKey) {
        return jdbc.sql("insert into card_refund (card_payment_id, amount, currency, reason, idempotency_key,"
                        + " request_key, status) values (?, ?, ?, ?, ?, ?, 'pending') returning id")
                .params(
                        cardPaymentId,
                        amount.minor(),
                        amount.currency().getCurrencyCode(),
                        reason,
                        UUID.randomUUID(),
                        requestKey)
                .query(Long.class)
                .single();
    }

    Optional<RefundRow> refundByRequestKey(String requestKey) {
        return jdbc.sql("select " + REFUND_COLUMNS + " from card_refund where request_key = ?")
                .param(requestKey)
                .query(CardPaymentStore::refundRow)
                .optional();
    }

    RefundRow refund(long id) {
        return jdbc.sql("select " + REFUND_COLUMNS + " from card_refund where id = ?")
                .param(id)
                .query(CardPaymentStore::refundRow)
                .optional()
                .orElseThrow(() -> KopekException.notFound("card refund", id));
    }

    List<CardRefund> refundsOf(long cardPaymentId) {
        return jdbc
                .sql("select " + REFUND_COLUMNS + " from card_refund where card_payment_id = ? order by id")
                .param(cardPaymentId)
                .query(CardPaymentStore::refundRow)
                .list()
                .stream()
                .map(RefundRow::refund)
                .toList();
    }

    void setRefund(long id, CardRefund.Status status, String providerRefundId, Long refundId, String failureReason) {
        jdbc.sql("update card_refund set status = ?, provider_refund_id = coalesce(?, provider_refund_id),"
                        + " refund_id = coalesce(?, refund_id), failure_reason = ?, updated_at = now() where id = ?")
                .params(status.code(), providerRefundId, refundId, failureReason, id)
                .update();
    }

    // --- mapping ------------------------------------------------------------------------------------------------

    private Optional<Row> one(String where, Object... params) {
        return jdbc.sql("select " + COLUMNS + " from card_payment " + where)
                .params(params)
                .query(CardPaymentStore::row)
                .optional();
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        Currency currency = Currency.getInstance(rs.getString("currency"));
        CardPayment payment = new CardPayment(
                rs.getLong("id"),
                rs.getLong("invoice_id"),
                rs.getLong("customer_id"),
                rs.getString("provider"),
                rs.getBoolean("two_stage"),
                new Money(rs.getLong("amount"), currency),
                new Money(rs.getLong("captured_amount"), currency),
                CardPayment.Status.of(rs.getString("status")),
                rs.getString("order_number"),
                rs.getString("provider_payment_id"),
                rs.getString("confirmation_url"),
                rs.getString("card_mask"),
                rs.getString("failure_reason"),
                (Long) rs.getObject("hold_id"),
                (Long) rs.getObject("payment_id"),
                rs.getString("pending_operation"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
        return new Row(
                payment, rs.getObject("idempotency_key", UUID.class), rs.getInt("checks"), rs.getString("return_url"));
    }

    private static RefundRow refundRow(ResultSet rs, int n) throws SQLException {
        CardRefund refund = new CardRefund(
                rs.getLong("id"),
                rs.getLong("card_payment_id"),
                Money.of(rs.getLong("amount"), rs.getString("currency")),
                rs.getString("reason"),
                CardRefund.Status.of(rs.getString("status")),
                rs.getString("provider_refund_id"),
                (Long) rs.getObject("refund_id"),
                rs.getString("failure_reason"),
                rs.getTimestamp("created_at").toInstant());
        return new RefundRow(refund, rs.getObject("idempotency_key", UUID.class));
    }
}

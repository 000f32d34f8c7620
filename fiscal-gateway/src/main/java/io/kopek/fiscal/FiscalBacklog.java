package io.kopek.fiscal;

import io.kopek.money.Money;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What is not fiscalised yet, as the console shows it: the receipts still on their way or stopped, per state; the
 * stopped ones with their reasons; and the payments and refunds without a done or exempt receipt
 * ({@code fiscal_unfiscalized}, the rule of {@link UnfiscalizedCheck}).
 */
@Service
public class FiscalBacklog {

    /** The states of a receipt that is not finished: on its way (pending, waiting) or stopped (failed, invalid). */
    static final List<ReceiptState> UNFINISHED =
            List.of(ReceiptState.PENDING, ReceiptState.WAITING, ReceiptState.FAILED, ReceiptState.INVALID);

    /** How many receipts are in a state, and since when the oldest (null when none). */
    public record StateCount(ReceiptState state, long count, Instant oldestAt) {}

    /** A receipt that stopped: failed by the cash register or the operator, or invalid; {@code reason} says why. */
    public record StoppedReceipt(
            long receiptId,
            ReceiptKind kind,
            ReceiptState state,
            String reason,
            Long invoiceId,
            Money total,
            Instant updatedAt) {}

    /**
     * A payment or refund without a done or exempt receipt: {@code receiptState} is null when it has none at all.
     * {@code operation} is {@code payment} or {@code refund}.
     */
    public record Unfiscalized(
            String eventKey,
            String operation,
            Long invoiceId,
            long paymentId,
            Long refundId,
            Money amount,
            Instant createdAt,
            ReceiptState receiptState) {}

    /** Where a page of {@link #unfiscalized} ended: the last row's time and event key. */
    public record Position(Instant createdAt, String eventKey) {}

    private final JdbcClient jdbc;

    FiscalBacklog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every unfinished state, in the order of {@link #UNFINISHED}, with its count (zero included). */
    @Transactional(readOnly = true)
    public List<StateCount> byState() {
        Map<ReceiptState, StateCount> found = new EnumMap<>(ReceiptState.class);
        jdbc.sql("select state, count(*) as n, min(created_at) as oldest from receipt"
                        + " where state in ('pending', 'waiting', 'failed', 'invalid') group by state")
                .query((rs, n) -> {
                    Timestamp oldest = rs.getTimestamp("oldest");
                    ReceiptState state = ReceiptState.of(rs.getString("state"));
                    return new StateCount(state, rs.getLong("n"), oldest == null ? null : oldest.toInstant());
                })
                .list()
                .forEach(c -> found.put(c.state(), c));
        return UNFINISHED.stream()
                .map(s -> found.getOrDefault(s, new StateCount(s, 0, null)))
                .toList();
    }

    /** Failed and invalid receipts after {@code afterId}, in id order, with the reason each stopped. */
    @Transactional(readOnly = true)
    public List<StoppedReceipt> stopped(long afterId, int limit) {
        return jdbc.sql("select id, kind, state, last_error, invoice_id, total, currency, updated_at from receipt"
                        + " where state in ('failed', 'invalid') and id > ? order by id limit ?")
                .params(afterId, limit)
                .query((rs, n) -> new StoppedReceipt(
                        rs.getLong("id"),
                        ReceiptKind.of(rs.getString("kind")),
                        ReceiptState.of(rs.getString("state")),
                        rs.getString("last_error"),
                        (Long) rs.getObject("invoice_id"),
                        Money.of(rs.getLong("total"), rs.getString("currency").trim()),
                        rs.getTimestamp("updated_at").toInstant()))
                .list();
    }

    /**
     * Payments and refunds without a done or exempt receipt, oldest first, after {@code after} (null: from the
     * start).
     */
    @Transactional(readOnly = true)
    public List<Unfiscalized> unfiscalized(Position after, int limit) {
        return jdbc.sql("select event_key, operation, invoice_id, payment_id, refund_id, amount, currency, created_at,"
                        + " receipt_state from fiscal_unfiscalized"
                        + " where cast(:at as timestamptz) is null or (created_at, event_key) > (:at, :key)"
                        + " order by created_at, event_key limit :limit")
                .param(
                        "at",
                        after == null
                                ? null
                                : java.time.OffsetDateTime.ofInstant(after.createdAt(), java.time.ZoneOffset.UTC))
                .param("key", after == null ? null : after.eventKey())
                .param("limit", limit)
                .query((rs, n) -> {
                    String state = rs.getString("receipt_state");
                    return new Unfiscalized(
                            rs.getString("event_key"),
                            rs.getString("operation"),
                            (Long) rs.getObject("invoice_id"),
                            rs.getLong("payment_id"),
                            (Long) rs.getObject("refund_id"),
                            Money.of(
                                    rs.getLong("amount"),
                                    rs.getString("currency").trim()),
                            rs.getObject("created_at", java.time.OffsetDateTime.class)
                                    .toInstant(),
                            state == null ? null : ReceiptState.of(state));
                })
                .list();
    }
}

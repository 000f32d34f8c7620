package io.kopek.billing;

import io.kopek.calendar.BusinessCalendar;
import io.kopek.outbox.Outbox;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Announces each active hold that expires within {@code kopek.billing.hold-expiry-warning} as {@code hold.expiring},
 * once: the hold is marked warned ({@code expiry_warned_at}) in the transaction that publishes its event, so however
 * often the pass runs, and however many processes run it, a hold is announced at most once. A hold whose time has
 * already passed is not announced (its {@code hold.expired} follows at the next expiry run); one captured or
 * released meanwhile never is.
 */
@Service
class HoldExpiryWarnings {

    /** Holds marked and announced per transaction: a backlog (after a long stop) commits in bounded pieces. */
    static final int BATCH = 1000;

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final BusinessCalendar calendar;
    private final TransactionTemplate transactions;
    private final Duration lead;

    HoldExpiryWarnings(
            JdbcClient jdbc,
            Outbox outbox,
            BusinessCalendar calendar,
            TransactionTemplate transactions,
            BillingProperties properties) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.calendar = calendar;
        this.transactions = transactions;
        this.lead = properties.holdExpiryWarning();
    }

    /** One pass: marks and announces every hold due a warning; returns how many. Nothing when the lead is zero. */
    int warnDue() {
        if (lead.isZero()) {
            return 0;
        }
        Instant now = calendar.now();
        int warned = 0;
        int taken;
        do {
            Integer batch = transactions.execute(tx -> warn(now));
            taken = batch == null ? 0 : batch;
            warned += taken;
        } while (taken == BATCH);
        return warned;
    }

    /**
     * Marks up to {@link #BATCH} holds and publishes their events, in the caller's transaction. A hold that a
     * capture, release or expiry holds locked right now is skipped (it is probably leaving the active state) and
     * looked at again by the next pass; without SKIP LOCKED two passes could lock each other's holds in another
     * order.
     */
    private int warn(Instant now) {
        List<BillingEvents.HoldExpiring> due = jdbc.sql("with due as (select id from hold where status = 'active'"
                        + " and expiry_warned_at is null and expires_at > :now and expires_at <= :until"
                        + " order by expires_at, id limit :limit for update skip locked)"
                        + " update hold h set expiry_warned_at = :now from due where h.id = due.id"
                        + " returning h.id, h.invoice_id, h.customer_id, h.source, h.amount, h.currency,"
                        + " h.expires_at, h.provider")
                .param("now", Timestamp.from(now))
                .param("until", Timestamp.from(now.plus(lead)))
                .param("limit", BATCH)
                .query((rs, n) -> new BillingEvents.HoldExpiring(
                        rs.getLong("id"),
                        rs.getLong("invoice_id"),
                        rs.getLong("customer_id"),
                        Hold.Source.of(rs.getString("source")),
                        rs.getLong("amount"),
                        rs.getString("currency"),
                        rs.getTimestamp("expires_at").toInstant(),
                        rs.getString("provider")))
                .list();
        due.stream()
                .sorted(Comparator.comparingLong(BillingEvents.HoldExpiring::holdId))
                .forEach(outbox::publish);
        return due.size();
    }
}

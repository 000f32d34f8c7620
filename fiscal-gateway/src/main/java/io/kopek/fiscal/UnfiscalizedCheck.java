package io.kopek.fiscal;

import io.kopek.calendar.BusinessCalendar;
import io.kopek.outbox.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The daily check that every payment (invoice or top-up) and every refund has a done receipt once the grace
 * period is over, or an exempt one (no receipt needed, and why). What lacks one is the published view
 * {@code fiscal_unfiscalized} (V9.4), which the unfiscalized report reads too. Empty on a healthy day;
 * otherwise it raises one {@code fiscal.unfiscalized} alert listing them.
 */
@Service
public class UnfiscalizedCheck {

    private static final int LISTED_IN_ALERT = 100;

    /** A payment or refund without a done receipt; {@code receiptState} is null when it has no receipt at all. */
    public record Unfiscalized(
            String eventKey,
            Long invoiceId,
            long paymentId,
            Long refundId,
            long amount,
            String currency,
            Instant at,
            String receiptState) {}

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final FiscalProperties properties;
    private final BusinessCalendar calendar;

    UnfiscalizedCheck(JdbcClient jdbc, Outbox outbox, FiscalProperties properties, BusinessCalendar calendar) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.properties = properties;
        this.calendar = calendar;
    }

    /** With the configured grace period ({@code kopek.fiscal.unfiscalized-grace}). */
    @Transactional
    public List<Unfiscalized> run() {
        return run(properties.unfiscalizedGrace());
    }

    /**
     * Payments and refunds made between {@code grace + kopek.fiscal.unfiscalized-lookback} and {@code grace} ago
     * (database time) without a done receipt.
     */
    @Transactional
    public List<Unfiscalized> run(Duration grace) {
        double graceSeconds = grace.toMillis() / 1000.0;
        double fromSeconds = grace.plus(properties.unfiscalizedLookback()).toMillis() / 1000.0;
        List<Unfiscalized> missing = jdbc.sql(
                        "select event_key, invoice_id, payment_id, refund_id, amount, currency, created_at,"
                                + " receipt_state as state from fiscal_unfiscalized"
                                + " where created_at < now() - make_interval(secs => :grace)"
                                + " and created_at >= now() - make_interval(secs => :from)"
                                + " order by created_at")
                .param("grace", graceSeconds)
                .param("from", fromSeconds)
                .query((rs, n) -> new Unfiscalized(
                        rs.getString("event_key"),
                        (Long) rs.getObject("invoice_id"),
                        rs.getLong("payment_id"),
                        (Long) rs.getObject("refund_id"),
                        rs.getLong("amount"),
                        rs.getString("currency"),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getString("state")))
                .list();
        if (!missing.isEmpty()) {
            outbox.publish(new FiscalEvents.Unfiscalized(
                    calendar.today(),
                    missing.size(),
                    missing.stream()
                            .limit(LISTED_IN_ALERT)
                            .map(Unfiscalized::eventKey)
                            .toList(),
                    calendar.now()));
        }
        return missing;
    }
}

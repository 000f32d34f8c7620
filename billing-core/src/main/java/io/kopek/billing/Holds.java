package io.kopek.billing;

import io.kopek.calendar.BusinessCalendar;
import io.kopek.errors.KopekException;
import io.kopek.ledger.Ledger;
import io.kopek.ledger.PendingTransfer;
import io.kopek.money.Money;
import io.kopek.outbox.Outbox;
import io.kopek.pricing.BillingRule;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Holds towards an invoice: a pending ledger transfer to the receivable, from the customer's balance or, for a
 * card authorisation, from the provider's clearing account; captured (fully or in part, the rest returned),
 * released, or expired by {@link #expireDue}. Every change locks the invoice first and then the hold, in that
 * order. A card hold mirrors the provider's authorisation: the caller changes it only after the provider has.
 */
@Service
public class Holds {

    /** YooKassa cancels card authorisations after 7 days; no hold of ours outlives that. */
    static final Duration MAX_LIFETIME = Duration.ofDays(7);

    private static final String COLUMNS =
            "id, invoice_id, customer_id, source, amount, currency, captured_amount, status,"
                    + " expires_at, created_at, resolved_at, transfer_id, provider, provider_payment_id";

    private final JdbcClient jdbc;
    private final InvoiceStore invoices;
    private final PaymentRecorder recorder;
    private final Ledger ledger;
    private final Accounts accounts;
    private final Outbox outbox;
    private final BusinessCalendar calendar;
    private final TransactionTemplate transactions;

    Holds(
            JdbcClient jdbc,
            InvoiceStore invoices,
            PaymentRecorder recorder,
            Ledger ledger,
            Accounts accounts,
            Outbox outbox,
            BusinessCalendar calendar,
            TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.invoices = invoices;
        this.recorder = recorder;
        this.ledger = ledger;
        this.accounts = accounts;
        this.outbox = outbox;
        this.calendar = calendar;
        this.transactions = transactions;
    }

    /**
     * Places a hold on the customer's balance for {@code amount} (the whole outstanding amount when null). It
     * lives as long as the invoice's rules allow (the shortest of them), or {@code lifetime} if shorter.
     */
    @Transactional
    public Hold place(long invoiceId, Money amount, Duration lifetime) {
        Invoice invoice = invoices.lock(invoiceId);
        List<BillingRule> rules = recorder.rules(invoice);
        recorder.requireMethod(rules, "balance");
        Money held = amount == null ? invoice.outstanding() : amount;
        recorder.requirePayable(invoice, held);
        Duration allowed = lifetime(rules);
        if (lifetime != null && (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(allowed) > 0)) {
            throw KopekException.invalid(
                    "invalid-hold-lifetime",
                    "a hold on this invoice may live between 1 s and " + allowed.toSeconds() + " s");
        }
        Instant expiresAt = calendar.now().plus(lifetime == null ? allowed : lifetime);
        String balance = accounts.balance(invoice.customerId(), held.currency());
        return insert(invoice, balance, held, expiresAt, Payments.creditLimit(rules), null, null);
    }

    /**
     * Mirrors a card authorisation that {@code provider} holds for the invoice as its payment
     * {@code providerPaymentId}: a pending transfer from the provider's clearing account to the receivable. It
     * expires no later than the rules allow nor than the provider's authorisation lapses. Recorded once per
     * provider payment (a repeat returns the first). Empty when the invoice cannot take it (cancelled, paid or held
     * meanwhile): the caller then cancels the authorisation.
     */
    @Transactional
    public Optional<Hold> placeCard(
            long invoiceId, Money amount, String provider, String providerPaymentId, Instant providerExpiresAt) {
        Invoice invoice = invoices.lock(invoiceId);
        Optional<Hold> earlier = jdbc.sql(
                        "select " + COLUMNS + " from hold where provider = ? and provider_payment_id = ?")
                .params(provider, providerPaymentId)
                .query(Holds::hold)
                .optional();
        if (earlier.isPresent()) {
            return earlier;
        }
        if (!invoice.status().acceptsPayment() || amount.compareTo(invoice.outstanding()) > 0) {
            return Optional.empty();
        }
        Instant expiresAt = calendar.now().plus(lifetime(recorder.rules(invoice)));
        if (providerExpiresAt != null && providerExpiresAt.isBefore(expiresAt)) {
            expiresAt = providerExpiresAt;
        }
        String clearing = accounts.providerClearing(provider, amount.currency());
        return Optional.of(insert(invoice, clearing, amount, expiresAt, 0, provider, providerPaymentId));
    }

    /** The longest a hold on an invoice with these rules may live: the shortest lifetime among them. */
    static Duration lifetime(List<BillingRule> rules) {
        return rules.stream()
                .map(r -> r.holdLifetimeSeconds() == null ? MAX_LIFETIME : Duration.ofSeconds(r.holdLifetimeSeconds()))
                .reduce(MAX_LIFETIME, (a, b) -> a.compareTo(b) <= 0 ? a : b);
    }

    private Hold insert(
            Invoice invoice,
            String from,
            Money held,
            Instant expiresAt,
            long creditLimit,
            String provider,
            String providerPaymentId) {
        UUID transferId = UUID.randomUUID();
        ledger.reserve(new PendingTransfer(
                transferId,
                from,
                accounts.receivable(invoice.customerId(), held.currency()),
                held,
                expiresAt,
                creditLimit));
        Hold hold = jdbc.sql("insert into hold (invoice_id, customer_id, source, amount, currency, status, expires_at,"
                        + " transfer_id, provider, provider_payment_id) values (?, ?, ?, ?, ?, 'active', ?, ?, ?, ?)"
                        + " returning " + COLUMNS)
                .params(
                        invoice.id(),
                        invoice.customerId(),
                        provider == null ? "balance" : "card",
                        held.minor(),
                        held.currency().getCurrencyCode(),
                        Timestamp.from(expiresAt),
                        transferId,
                        provider,
                        providerPaymentId)
                .query(Holds::hold)
                .single();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("holdId", hold.id());
        payload.put("invoiceId", invoice.id());
        payload.put("customerId", invoice.customerId());
        payload.put("source", hold.source());
        payload.put("amount", held.minor());
        payload.put("currency", held.currency().getCurrencyCode());
        payload.put("expiresAt", expiresAt.toString());
        if (provider != null) {
            payload.put("provider", provider);
        }
        outbox.publish("hold.placed", "hold", hold.id(), payload);
        return hold;
    }

    /** Captures {@code amount} (all of it when null) as a payment of the invoice; the rest goes back. */
    @Transactional
    public Hold capture(long holdId, Money amount) {
        Locked locked = lock(holdId);
        Hold hold = locked.hold();
        requireActive(hold, "captured");
        Money captured = amount == null ? hold.amount() : amount;
        PaymentRecorder.requirePositive(captured, hold.amount().currency());
        if (captured.compareTo(hold.amount()) > 0) {
            throw KopekException.invalid(
                    "capture-exceeds-hold", "hold " + holdId + " is for " + hold.amount() + ", " + captured + " asked");
        }
        String method = hold.source().equals("card") ? "card" : "balance";
        long paymentId = recorder.insert(
                hold.invoiceId(),
                hold.customerId(),
                "invoice",
                method,
                captured,
                null,
                holdId,
                hold.provider(),
                hold.providerPaymentId());
        ledger.postPending(
                locked.transferId(),
                captured,
                Invoicing.transactionId("payment", paymentId),
                "hold_capture",
                locked.invoice().number(),
                calendar.now());
        Hold resolved = resolve(holdId, Hold.Status.CAPTURED, captured.minor());
        recorder.applyToInvoice(locked.invoice(), paymentId, captured, method);
        outbox.publish(
                "hold.captured",
                "hold",
                holdId,
                Map.of(
                        "holdId",
                        holdId,
                        "invoiceId",
                        hold.invoiceId(),
                        "amount",
                        captured.minor(),
                        "paymentId",
                        paymentId));
        return resolved;
    }

    @Transactional
    public Hold release(long holdId) {
        Locked locked = lock(holdId);
        requireActive(locked.hold(), "released");
        ledger.voidPending(locked.transferId(), false, calendar.now());
        Hold resolved = resolve(holdId, Hold.Status.RELEASED, null);
        outbox.publish(
                "hold.released",
                "hold",
                holdId,
                Map.of("holdId", holdId, "invoiceId", locked.hold().invoiceId()));
        return resolved;
    }

    /**
     * Expires every active hold whose time has come, each in its own transaction; a hold that a capture or
     * release is working on right now is skipped and left to that request or the next run. Returns how many
     * expired.
     */
    public int expireDue() {
        Instant now = calendar.now();
        List<Long> due = jdbc.sql(
                        "select id from hold where status = 'active' and expires_at <= ? order by id limit 1000")
                .param(Timestamp.from(now))
                .query(Long.class)
                .list();
        int expired = 0;
        for (long id : due) {
            Boolean done = transactions.execute(tx -> expire(id, now));
            if (Boolean.TRUE.equals(done)) {
                expired++;
            }
        }
        return expired;
    }

    private boolean expire(long holdId, Instant now) {
        Long invoiceId = jdbc.sql("select invoice_id from hold where id = ?")
                .param(holdId)
                .query(Long.class)
                .single();
        // Same lock order as capture and release (invoice, then hold), but never waiting: a busy hold is skipped.
        boolean invoiceLocked = jdbc.sql("select id from invoice where id = ? for update skip locked")
                .param(invoiceId)
                .query(Long.class)
                .optional()
                .isPresent();
        if (!invoiceLocked) {
            return false;
        }
        Optional<UUID> transferId = jdbc.sql("select transfer_id from hold where id = ? and status = 'active'"
                        + " and expires_at <= ? for update skip locked")
                .params(holdId, Timestamp.from(now))
                .query(UUID.class)
                .optional();
        if (transferId.isEmpty()) {
            return false;
        }
        ledger.voidPending(transferId.get(), true, now);
        resolve(holdId, Hold.Status.EXPIRED, null);
        outbox.publish("hold.expired", "hold", holdId, Map.of("holdId", holdId, "invoiceId", invoiceId));
        return true;
    }

    private void requireActive(Hold hold, String wanted) {
        switch (hold.status()) {
            case CAPTURED ->
                throw KopekException.conflict("hold-captured", "hold " + hold.id() + " is already captured");
            case RELEASED -> throw KopekException.conflict("hold-released", "hold " + hold.id() + " was released");
            case EXPIRED -> throw KopekException.conflict("hold-expired", "hold " + hold.id() + " has expired");
            case ACTIVE -> {
                if (!calendar.now().isBefore(hold.expiresAt())) {
                    throw KopekException.conflict(
                            "hold-expired",
                            "hold " + hold.id() + " expired at " + hold.expiresAt() + " and cannot be " + wanted);
                }
            }
        }
    }

    private Hold resolve(long holdId, Hold.Status status, Long capturedAmount) {
        return jdbc.sql("update hold set status = ?, captured_amount = ?, resolved_at = ? where id = ? returning "
                        + COLUMNS)
                .params(status.code(), capturedAmount, Timestamp.from(calendar.now()), holdId)
                .query(Holds::hold)
                .single();
    }

    private record Locked(Invoice invoice, Hold hold, UUID transferId) {}

    private Locked lock(long holdId) {
        Long invoiceId = jdbc.sql("select invoice_id from hold where id = ?")
                .param(holdId)
                .query(Long.class)
                .optional()
                .orElseThrow(() -> KopekException.notFound("hold", holdId));
        Invoice invoice = invoices.lock(invoiceId);
        return jdbc.sql("select " + COLUMNS + " from hold where id = ? for update")
                .param(holdId)
                .query((rs, n) -> new Locked(invoice, hold(rs, n), rs.getObject("transfer_id", UUID.class)))
                .single();
    }

    @Transactional(readOnly = true)
    public Optional<Hold> find(long id) {
        return jdbc.sql("select " + COLUMNS + " from hold where id = ?")
                .param(id)
                .query(Holds::hold)
                .optional();
    }

    public Hold get(long id) {
        return find(id).orElseThrow(() -> KopekException.notFound("hold", id));
    }

    /** Holds after {@code afterId}, optionally of one customer, invoice or status. */
    @Transactional(readOnly = true)
    public List<Hold> list(Long customerId, Long invoiceId, Hold.Status status, long afterId, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from hold where id > :after");
        if (customerId != null) sql.append(" and customer_id = :customer");
        if (invoiceId != null) sql.append(" and invoice_id = :invoice");
        if (status != null) sql.append(" and status = :status");
        sql.append(" order by id limit :limit");
        return jdbc.sql(sql.toString())
                .param("after", afterId)
                .param("customer", customerId)
                .param("invoice", invoiceId)
                .param("status", status == null ? null : status.code())
                .param("limit", limit)
                .query(Holds::hold)
                .list();
    }

    private static Hold hold(ResultSet rs, int n) throws SQLException {
        Currency currency = Currency.getInstance(rs.getString("currency"));
        Long captured = (Long) rs.getObject("captured_amount");
        Timestamp resolved = rs.getTimestamp("resolved_at");
        return new Hold(
                rs.getLong("id"),
                rs.getLong("invoice_id"),
                rs.getLong("customer_id"),
                rs.getString("source"),
                new Money(rs.getLong("amount"), currency),
                new Money(captured == null ? 0 : captured, currency),
                Hold.Status.of(rs.getString("status")),
                rs.getTimestamp("expires_at").toInstant(),
                rs.getTimestamp("created_at").toInstant(),
                resolved == null ? null : resolved.toInstant(),
                rs.getString("provider"),
                rs.getString("provider_payment_id"));
    }
}

package io.kopek.billing;

import io.kopek.calendar.BusinessCalendar;
import io.kopek.errors.KopekException;
import io.kopek.money.Money;
import io.kopek.pricing.BillingRule;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Holds towards an invoice: a pending ledger transfer to the receivable, from the customer's balance or, for a
 * card authorisation, from the provider's clearing account; captured (fully or in part, the rest returned),
 * released, or expired by {@link #expireDue}. Every change locks the invoice first and then the hold, in that
 * order. A card hold mirrors the provider's authorisation: the caller changes it only after the provider has.
 *
 * <p>Each change is one call of its database function ({@code hold_place}, {@code hold_capture},
 * {@code hold_release}, {@code hold_expire}; migration {@code V11}), the only implementation of what it does to
 * the hold, the ledger, the invoice and the outbox. What the billing rules allow is checked here before.
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
    private final Accounts accounts;
    private final BusinessCalendar calendar;
    private final TransactionTemplate transactions;

    Holds(
            JdbcClient jdbc,
            InvoiceStore invoices,
            PaymentRecorder recorder,
            Accounts accounts,
            BusinessCalendar calendar,
            TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.invoices = invoices;
        this.recorder = recorder;
        this.accounts = accounts;
        this.calendar = calendar;
        this.transactions = transactions;
    }

    /**
     * Places a hold on the customer's balance for {@code amount} (the whole outstanding amount when null). It
     * lives as long as the invoice's rules allow (the shortest of them), or {@code lifetime} if shorter.
     */
    @Transactional
    public Hold place(long invoiceId, Money amount, Duration lifetime) {
        HoldPlace p = checked(invoices.lock(invoiceId), amount, lifetime);
        return insert(p.invoice(), p.from(), p.held(), p.expiresAt(), p.creditLimit(), null, null);
    }

    /** One of a batch's items ({@link #placeAndCaptureEach}): a hold to place or a hold to capture. */
    public sealed interface Item permits Placement, Capture {}

    /** A hold on the customer's balance to place as one of several: what {@link #place} takes. */
    public record Placement(long invoiceId, Money amount, Duration lifetime, Long onlyOfCustomer) implements Item {}

    /** A capture on the customer's balance as one of several: what {@link #captureOnTheBalance} takes. */
    public record Capture(long holdId, Money amount) implements Item {}

    /** What became of one of several: its hold, or the refusal that the single call would have thrown. */
    public record Outcome(Hold hold, RuntimeException refusal) {}

    /** What became of a batch's holds to place and to capture, each in the order given. */
    public record Outcomes(List<Outcome> placed, List<Outcome> captured) {}

    /** What a refusal in the database takes with it in {@link #placeAndCaptureEach}. */
    public enum RefusalScope {
        /** Each item in a subtransaction of its own ({@code *_each}): a refusal is its item's outcome alone. */
        ITEM("hold_place_and_capture_each_locked", "hold_capture_each"),
        /**
         * No subtransaction per item ({@code *_all}, migration {@code V6.21}), each kind of row written once for the
         * whole batch ({@code V6.24}): cheaper, but the first refusal in the database throws
         * {@link BatchRefusedException}, and the transaction must be rolled back.
         */
        BATCH("hold_place_and_capture_all_locked", "hold_capture_all");

        /** The batch functions of this scope: placements and captures of locked invoices, and captures alone. */
        private final String placeAndCaptureLocked;

        private final String capture;

        RefusalScope(String placeAndCaptureLocked, String capture) {
            this.placeAndCaptureLocked = placeAndCaptureLocked;
            this.capture = capture;
        }
    }

    /**
     * An item of a batch run with {@link RefusalScope#BATCH} was refused in the database (the refusal is the cause):
     * the transaction is to be rolled back and the batch run again with {@link RefusalScope#ITEM}.
     */
    public static final class BatchRefusedException extends RuntimeException {
        BatchRefusedException(RuntimeException refusal) {
            super("an item of the batch was refused: " + refusal.getMessage(), refusal);
        }
    }

    /**
     * Places holds as {@link #place} does and captures holds on customers' balances as {@link #captureOnTheBalance}
     * does, each on its own terms: one's refusal is its outcome and undoes nothing of the others'. The database work
     * of many requests in two round trips: the invoices of every item locked together in id order (the captures'
     * found through their holds), so that two batches never wait for each other holding what the other needs; then
     * the holds placed ({@code hold_place_each}, migration {@code V6.14}) and captured ({@code hold_capture_each})
     * by one call ({@code hold_place_and_capture_each_locked}, {@code V6.19}). An item with {@code onlyOfCustomer}
     * set is refused as not found unless the invoice is that customer's (the API's rule for a customer's key). One
     * placement per invoice and one capture per hold: each placement is checked against its invoice as it was
     * locked. Runs in the caller's transaction. With {@link RefusalScope#BATCH} the same work runs with no
     * subtransaction per item, and a refusal in the database fails the batch instead ({@link BatchRefusedException}).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Outcomes placeAndCaptureEach(List<Placement> placements, List<Capture> captures, RefusalScope scope) {
        List<Long> ids = placements.stream().map(Placement::invoiceId).toList();
        if (ids.stream().distinct().count() != ids.size()) {
            throw new IllegalArgumentException("a batch of holds places one per invoice");
        }
        if (captures.stream().map(Capture::holdId).distinct().count() != captures.size()) {
            throw new IllegalArgumentException("a batch of holds captures each hold once");
        }
        if (placements.isEmpty()) {
            // hold_capture_each and hold_capture_all lock the captures' invoices in id order by themselves
            return new Outcomes(
                    List.of(),
                    captures.isEmpty()
                            ? List.of()
                            : each(
                                    scope,
                                    scope.capture + "(?, ?::bigint[], ?, ?::uuid[], ?, ?)",
                                    captureArgs(captures)));
        }
        // lockAll locks the captures' invoices too (V6.17: the captures do not lock them again)
        Map<Long, Invoice> locked = invoices.lockAll(ids, array(captures, Capture::holdId));
        Outcome[] placed = new Outcome[placements.size()];
        List<Integer> placing = new ArrayList<>();
        List<HoldPlace> checked = new ArrayList<>();
        for (int i = 0; i < placements.size(); i++) {
            Placement p = placements.get(i);
            Invoice invoice = locked.get(p.invoiceId());
            try {
                if (invoice == null || (p.onlyOfCustomer() != null && invoice.customerId() != p.onlyOfCustomer())) {
                    throw KopekException.notFound("invoice", p.invoiceId());
                }
                checked.add(checked(invoice, p.amount(), p.lifetime()));
                placing.add(i);
            } catch (KopekException | IllegalArgumentException e) {
                placed[i] = new Outcome(null, e);
            }
        }
        if (checked.isEmpty() && captures.isEmpty()) {
            return new Outcomes(List.of(placed), List.of());
        }
        // one call, one round trip (V6.19): the captures' items are numbered after the placements'
        List<Outcome> done = each(
                scope,
                scope.placeAndCaptureLocked
                        + "(?, ?, ?, ?, ?, ?, ?::timestamptz[], ?, ?, ?::bigint[], ?, ?::uuid[], ?, ?)",
                Stream.concat(Arrays.stream(placeArgs(checked)), Arrays.stream(captureArgs(captures)))
                        .toArray());
        for (int k = 0; k < checked.size(); k++) {
            placed[placing.get(k)] = done.get(k);
        }
        return new Outcomes(List.of(placed), done.subList(checked.size(), done.size()));
    }

    /** {@code hold_place_each}'s arguments for the placements: an array per parameter. */
    private static Object[] placeArgs(List<HoldPlace> placing) {
        return new Object[] {
            array(placing, h -> h.invoice().id()),
            array(placing, h -> h.invoice().customerId()),
            placing.stream().map(HoldPlace::from).toArray(String[]::new),
            placing.stream().map(HoldPlace::to).toArray(String[]::new),
            array(placing, h -> h.held().minor()),
            placing.stream().map(h -> h.held().currency().getCurrencyCode()).toArray(String[]::new),
            placing.stream().map(h -> h.expiresAt().toString()).toArray(String[]::new),
            array(placing, HoldPlace::creditLimit)
        };
    }

    /** {@code hold_capture_each}'s arguments for the captures: an array per item's parameter, then when and how. */
    private Object[] captureArgs(List<Capture> captures) {
        return new Object[] {
            array(captures, Capture::holdId),
            captures.stream()
                    .map(c -> c.amount() == null ? null : c.amount().minor())
                    .toArray(Long[]::new),
            captures.stream()
                    .map(c -> c.amount() == null ? null : c.amount().currency().getCurrencyCode())
                    .toArray(String[]::new),
            captures.stream()
                    .map(c ->
                            Invoicing.transactionId("hold_capture", c.holdId()).toString())
                    .toArray(String[]::new),
            Timestamp.from(calendar.now()),
            Hold.Source.BALANCE.code()
        };
    }

    /** The outcomes of a call of a {@code *_each} or {@code *_all} function, in item order. */
    private List<Outcome> each(RefusalScope scope, String call, Object... arrays) {
        if (scope == RefusalScope.ITEM) {
            return outcomes(call, arrays);
        }
        try {
            return outcomes(call, arrays);
        } catch (DataAccessException e) {
            RuntimeException refusal = Refusals.translate(e);
            throw refusal == e ? e : new BatchRefusedException(refusal);
        }
    }

    private List<Outcome> outcomes(String call, Object... arrays) {
        return jdbc.sql("select o.item, (o.hold).*, o.refusal_state, o.refusal_message, o.refusal_detail from " + call
                        + " o order by o.item")
                .params(arrays)
                .query((rs, n) -> rs.getString("refusal_state") == null
                        ? new Outcome(hold(rs, n), null)
                        : new Outcome(
                                null,
                                Refusals.of(
                                        rs.getString("refusal_state"),
                                        rs.getString("refusal_message"),
                                        rs.getString("refusal_detail"))))
                .list();
    }

    private static <T> long[] array(List<T> items, ToLongFunction<T> value) {
        return items.stream().mapToLong(value).toArray();
    }

    /** A hold on the customer's balance that its invoice's rules allow, ready for {@code hold_place}. */
    private record HoldPlace(
            Invoice invoice, String from, String to, Money held, Instant expiresAt, long creditLimit) {}

    /** What {@link #place} checks of the locked invoice before the hold is placed. */
    private HoldPlace checked(Invoice invoice, Money amount, Duration lifetime) {
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
        return new HoldPlace(
                invoice,
                accounts.balance(invoice.customerId(), held.currency()),
                accounts.receivable(invoice.customerId(), held.currency()),
                held,
                expiresAt,
                Payments.creditLimit(rules));
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
        String receivable = accounts.receivable(invoice.customerId(), held.currency());
        return Refusals.call(() -> jdbc.sql("select * from hold_place(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        invoice.id(),
                        invoice.customerId(),
                        from,
                        receivable,
                        held.minor(),
                        held.currency().getCurrencyCode(),
                        Timestamp.from(expiresAt),
                        creditLimit,
                        new SqlParameterValue(Types.VARCHAR, provider),
                        new SqlParameterValue(Types.VARCHAR, providerPaymentId))
                .query(Holds::hold)
                .single());
    }

    /**
     * Captures {@code amount} (all of it when null) as a payment of the invoice; the rest goes back. The ledger
     * transaction is the hold's capture, {@code hold_capture:<id>}: a hold is captured at most once.
     */
    @Transactional
    public Hold capture(long holdId, Money amount) {
        return capture(holdId, amount, null);
    }

    /**
     * The same for a hold on the customer's balance only: a hold on a card is refused
     * ({@code card-hold-through-provider}), since only its provider can take that money, through its card payment.
     */
    @Transactional
    public Hold captureOnTheBalance(long holdId, Money amount) {
        return capture(holdId, amount, Hold.Source.BALANCE);
    }

    private Hold capture(long holdId, Money amount, Hold.Source only) {
        return Refusals.call(() -> jdbc.sql("select * from hold_capture(?, ?, ?, ?, ?, ?)")
                .params(
                        holdId,
                        new SqlParameterValue(Types.BIGINT, amount == null ? null : amount.minor()),
                        new SqlParameterValue(
                                Types.VARCHAR,
                                amount == null ? null : amount.currency().getCurrencyCode()),
                        Invoicing.transactionId("hold_capture", holdId),
                        Timestamp.from(calendar.now()),
                        new SqlParameterValue(Types.VARCHAR, only == null ? null : only.code()))
                .query(Holds::hold)
                .single());
    }

    @Transactional
    public Hold release(long holdId) {
        return release(holdId, null);
    }

    /** The same for a hold on the customer's balance only, as {@link #captureOnTheBalance}. */
    @Transactional
    public Hold releaseOnTheBalance(long holdId) {
        return release(holdId, Hold.Source.BALANCE);
    }

    private Hold release(long holdId, Hold.Source only) {
        return Refusals.call(() -> jdbc.sql("select * from hold_release(?, ?, ?)")
                .params(
                        holdId,
                        Timestamp.from(calendar.now()),
                        new SqlParameterValue(Types.VARCHAR, only == null ? null : only.code()))
                .query(Holds::hold)
                .single());
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
            Boolean done = transactions.execute(tx -> Refusals.call(() -> jdbc.sql("select hold_expire(?, ?)")
                    .params(id, Timestamp.from(now))
                    .query(Boolean.class)
                    .single()));
            if (Boolean.TRUE.equals(done)) {
                expired++;
            }
        }
        return expired;
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

    /**
     * Active holds that expire within {@code within} from now (or have expired and wait for the expiry run), the
     * soonest first, at most {@code limit}.
     */
    @Transactional(readOnly = true)
    public List<Hold> expiring(Duration within, int limit) {
        return jdbc.sql("select " + COLUMNS + " from hold where status = 'active' and expires_at <= ?"
                        + " order by expires_at, id limit ?")
                .params(Timestamp.from(calendar.now().plus(within)), limit)
                .query(Holds::hold)
                .list();
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
        OffsetDateTime resolved = rs.getObject("resolved_at", OffsetDateTime.class);
        return new Hold(
                rs.getLong("id"),
                rs.getLong("invoice_id"),
                rs.getLong("customer_id"),
                Hold.Source.of(rs.getString("source")),
                new Money(rs.getLong("amount"), currency),
                new Money(captured == null ? 0 : captured, currency),
                Hold.Status.of(rs.getString("status")),
                // java.time straight from the driver, without the Calendar and java.util.Date of getTimestamp
                rs.getObject("expires_at", OffsetDateTime.class).toInstant(),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                resolved == null ? null : resolved.toInstant(),
                rs.getString("provider"),
                rs.getString("provider_payment_id"));
    }
}

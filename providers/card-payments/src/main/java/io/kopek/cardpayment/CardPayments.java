package io.kopek.cardpayment;

import io.kopek.billing.CardTerms;
import io.kopek.billing.Hold;
import io.kopek.billing.Holds;
import io.kopek.billing.Payments;
import io.kopek.billing.Refund;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.errors.KopekException;
import io.kopek.installation.Installation;
import io.kopek.money.Money;
import io.kopek.outbox.Outbox;
import io.kopek.provider.CreatePayment;
import io.kopek.provider.ProviderException;
import io.kopek.provider.ProviderPayment;
import io.kopek.provider.ProviderRefund;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Paying invoices by card through the payment providers. Each operation first writes what it is about to ask
 * (in its own short transaction), then asks the provider outside any transaction, then hands the answer to
 * {@link Mirror}. A provider that does not answer leaves the outcome unknown, recorded as such and resolved by
 * {@link #checkDue} asking again with the same idempotency key or the payment's status, never by a new create.
 *
 * <p>{@code requestKey} identifies the API request (its key and {@code Idempotency-Key}): a repeated request finds
 * what the first one started instead of starting another.
 */
@Service
public class CardPayments {

    private static final Logger log = LoggerFactory.getLogger(CardPayments.class);

    private final CardPaymentStore store;
    private final Routing routing;
    private final Mirror mirror;
    private final Payments payments;
    private final Holds holds;
    private final Outbox outbox;
    private final BusinessCalendar calendar;
    private final CardPaymentProperties properties;
    private final TransactionTemplate transactions;
    private final Installation installation;

    CardPayments(
            CardPaymentStore store,
            Routing routing,
            Mirror mirror,
            Payments payments,
            Holds holds,
            Outbox outbox,
            BusinessCalendar calendar,
            CardPaymentProperties properties,
            TransactionTemplate transactions,
            Installation installation) {
        this.installation = installation;
        this.store = store;
        this.routing = routing;
        this.mirror = mirror;
        this.payments = payments;
        this.holds = holds;
        this.outbox = outbox;
        this.calendar = calendar;
        this.properties = properties;
        this.transactions = transactions;
    }

    /**
     * Starts paying the invoice by card: {@code amount} (the whole outstanding amount when null), through a hold
     * when the invoice's rules hold first, through the first provider of the rules that is up. The answer is
     * usually {@code pending} with the URL to send the payer to; {@code unknown} when the provider did not
     * answer (a check resolves it); {@code failed} when it refused.
     */
    public CardPayment start(long invoiceId, Money amount, String returnUrl, String requestKey) {
        requireNoTransaction();
        Optional<CardPaymentStore.Row> earlier = byRequestKey(requestKey);
        if (earlier.isPresent()) {
            return continueEarlier(earlier.get());
        }
        Started started;
        try {
            started = inTransaction(() -> {
                store.lockInvoiceAttempts(invoiceId);
                CardTerms terms = payments.cardTerms(invoiceId, amount, store.inFlight(invoiceId));
                Routing.Route route = routing.choose(terms.providers());
                try {
                    // Unique to this installation, so another one sharing the merchant account cannot collide
                    // (Sber: orderNumber is the merchant's idempotency key, ANS..32; 8 + 1 + 19 + 1 + 3 fits).
                    String orderNumber = installation.id() + "-" + invoiceId + "-" + (store.attemptsOf(invoiceId) + 1);
                    long id = store.insert(
                            invoiceId,
                            terms.invoice().customerId(),
                            route.provider().id(),
                            terms.hold(),
                            terms.amount(),
                            orderNumber,
                            requestKey,
                            returnUrl,
                            calendar.now().plus(properties.firstCheck()));
                    return new Started(id, route);
                } catch (RuntimeException e) {
                    route.breaker().releasePermission();
                    throw e;
                }
            });
        } catch (DuplicateKeyException e) {
            return continueEarlier(byRequestKey(requestKey).orElseThrow(() -> e));
        }
        create(store.get(started.id()), true);
        return get(started.id());
    }

    private record Started(long id, Routing.Route route) {}

    private CardPayment continueEarlier(CardPaymentStore.Row row) {
        if (row.payment().status() == CardPayment.Status.CREATING) {
            create(row, false); // the same create, with the same key: the provider answers with what it has
        }
        return get(row.id());
    }

    /** Asks the provider to create the payment, with the attempt's own key, and mirrors the answer. */
    private void create(CardPaymentStore.Row row, boolean permitted) {
        CardPayment payment = row.payment();
        CreatePayment request = new CreatePayment(
                row.idempotencyKey().toString(),
                payment.orderNumber(),
                payment.amount(),
                payment.twoStage(),
                "Invoice " + payment.orderNumber(),
                row.returnUrl(),
                Map.of("card_payment_id", Long.toString(payment.id())));
        ProviderPayment view;
        try {
            view = routing.call(payment.provider(), permitted, p -> p.create(request));
        } catch (ProviderException e) {
            if (e.outcome() == ProviderException.Outcome.REFUSED) {
                log.info("card payment {}: {}", payment.id(), e.getMessage());
                inTransaction(() -> {
                    store.end(payment.id(), CardPayment.Status.FAILED, e.publicDetail());
                    outbox.publish(new CardPaymentEvents.CardPaymentFailed(
                            payment.id(), payment.invoiceId(), payment.provider(), e.publicDetail()));
                    return null;
                });
            } else {
                log.warn("card payment {}: create outcome unknown, to be checked: {}", payment.id(), e.getMessage());
                inTransaction(() -> {
                    if (store.lock(payment.id()).payment().status() == CardPayment.Status.CREATING) {
                        store.setStatus(
                                payment.id(),
                                CardPayment.Status.UNKNOWN,
                                calendar.now().plus(mirror.backoff(row.checks())));
                    }
                    return null;
                });
            }
            return;
        }
        mirrorAndFollowUp(payment.id(), view);
    }

    /** Captures all of a card hold ({@code amount} null) or part of it; the rest is released by the provider. */
    public CardPayment capture(long id, Money amount) {
        requireNoTransaction();
        CardPaymentStore.Row row = store.get(id);
        CardPayment payment = row.payment();
        if (payment.status() == CardPayment.Status.SUCCEEDED
                && payment.twoStage()
                && (amount == null || amount.equals(payment.captured()))) {
            return payment; // a repeat
        }
        Hold hold = authorisedHold(payment, "captured");
        Money captured = amount == null ? hold.amount() : amount;
        if (!captured.currency().equals(hold.amount().currency()) || !captured.isPositive()) {
            throw KopekException.invalid(
                    "invalid-amount",
                    "capture a positive amount in " + hold.amount().currency());
        }
        if (captured.compareTo(hold.amount()) > 0) {
            throw KopekException.invalid(
                    "capture-exceeds-hold",
                    "card payment " + id + " holds " + hold.amount() + ", " + captured + " asked");
        }
        return operate(
                row,
                "capture",
                captured,
                p -> p.capture(payment.providerPaymentId(), captured, "capture-" + row.idempotencyKey()));
    }

    /** Voids a card hold: the provider releases the payer's money. */
    public CardPayment cancel(long id) {
        requireNoTransaction();
        CardPaymentStore.Row row = store.get(id);
        CardPayment payment = row.payment();
        if (payment.status() == CardPayment.Status.CANCELED) {
            return payment; // a repeat
        }
        authorisedHold(payment, "cancelled");
        return operate(
                row, "cancel", null, p -> p.cancel(payment.providerPaymentId(), "cancel-" + row.idempotencyKey()));
    }

    private Hold authorisedHold(CardPayment payment, String wanted) {
        if (payment.status() != CardPayment.Status.AUTHORIZED || payment.holdId() == null) {
            throw KopekException.conflict(
                    "card-payment-not-authorized",
                    "card payment " + payment.id() + " is " + payment.status().code() + " and cannot be " + wanted);
        }
        Hold hold = holds.get(payment.holdId());
        if (hold.status() != Hold.Status.ACTIVE || !calendar.now().isBefore(hold.expiresAt())) {
            throw KopekException.conflict(
                    "hold-expired",
                    "the hold of card payment " + payment.id() + " is "
                            + hold.status().code() + " (it expired at " + hold.expiresAt() + ") and cannot be "
                            + wanted);
        }
        return hold;
    }

    private CardPayment operate(
            CardPaymentStore.Row row,
            String operation,
            Money amount,
            java.util.function.Function<io.kopek.provider.PaymentProvider, ProviderPayment> call) {
        long id = row.id();
        inTransaction(() -> {
            store.setPendingOperation(id, operation, amount, calendar.now().plus(properties.firstCheck()));
            return null;
        });
        ProviderPayment view;
        try {
            view = routing.call(row.payment().provider(), false, call);
        } catch (ProviderException e) {
            if (e.outcome() == ProviderException.Outcome.REFUSED) {
                inTransaction(() -> {
                    store.setPendingOperation(id, null, null, calendar.now().plus(properties.firstCheck()));
                    return null;
                });
                log.info("card payment {}: {} refused: {}", id, operation, e.getMessage());
                throw KopekException.conflict(
                        "provider-refused",
                        row.payment().provider() + " refused to " + operation + ": " + e.publicDetail());
            }
            log.warn("card payment {}: {} outcome unknown, to be checked: {}", id, operation, e.getMessage());
            return get(id);
        }
        mirrorAndFollowUp(id, view);
        return get(id);
    }

    /**
     * Refunds part or all of a charged card payment through its provider, then records the refund in billing.
     * A refund the provider has not confirmed stays {@code unknown} until the payment's status shows it.
     */
    public CardRefund refund(long id, Money amount, String reason, String requestKey) {
        requireNoTransaction();
        if (requestKey != null) {
            Optional<CardPaymentStore.RefundRow> earlier = store.refundByRequestKey(requestKey);
            if (earlier.isPresent()) {
                return earlier.get().refund();
            }
        }
        CardPayment payment = store.get(id).payment();
        if (payment.status() != CardPayment.Status.SUCCEEDED || payment.paymentId() == null) {
            throw KopekException.conflict(
                    "card-payment-not-charged",
                    "card payment " + id + " is " + payment.status().code() + "; only charged payments are refunded");
        }
        long refundId;
        try {
            refundId = startRefund(payment, amount, reason, requestKey);
        } catch (DuplicateKeyException e) {
            return store.refundByRequestKey(requestKey).orElseThrow(() -> e).refund();
        }
        CardPaymentStore.RefundRow row = store.refund(refundId);
        ProviderRefund answer;
        try {
            answer = routing.call(
                    payment.provider(),
                    false,
                    p -> p.refund(
                            payment.providerPaymentId(),
                            amount,
                            row.idempotencyKey().toString()));
        } catch (ProviderException e) {
            return refundNotDone(payment, refundId, e);
        }
        recordRefundAnswer(payment, refundId, amount, reason, answer);
        if (answer.state() == ProviderRefund.State.CANCELED) {
            throw KopekException.conflict(
                    "provider-refused", payment.provider() + " canceled the refund: " + answer.failureReason());
        }
        return store.refund(refundId).refund();
    }

    /** The refund's row, written before the provider is asked, once what is in flight leaves room for it. */
    private long startRefund(CardPayment payment, Money amount, String reason, String requestKey) {
        return inTransaction(() -> {
            store.lock(payment.id());
            Money inFlight = store.openRefunds(payment.id()).stream()
                    .map(r -> r.refund().amount())
                    .reduce(Money.zero(payment.amount().currency()), Money::plus);
            payments.checkRefundable(payment.invoiceId(), payment.paymentId(), amount, inFlight);
            return store.insertRefund(payment.id(), amount, reason, requestKey);
        });
    }

    /** A refused refund fails; one whose outcome is unknown waits for the payment's next check. */
    private CardRefund refundNotDone(CardPayment payment, long refundId, ProviderException e) {
        boolean refused = e.outcome() == ProviderException.Outcome.REFUSED;
        log.info("card payment {}: refund {} not done: {}", payment.id(), refundId, e.getMessage());
        inTransaction(() -> {
            store.lock(payment.id());
            store.setRefund(
                    refundId,
                    refused ? CardRefund.Status.FAILED : CardRefund.Status.UNKNOWN,
                    null,
                    null,
                    e.publicDetail());
            if (!refused) {
                store.checkAt(payment.id(), calendar.now().plus(properties.firstCheck()), false);
            }
            return null;
        });
        if (refused) {
            throw KopekException.conflict(
                    "provider-refused", payment.provider() + " refused the refund: " + e.publicDetail());
        }
        return store.refund(refundId).refund();
    }

    /** The provider's answer: a refund it confirms is recorded in billing, once; an unconfirmed one is checked. */
    private void recordRefundAnswer(
            CardPayment payment, long refundId, Money amount, String reason, ProviderRefund answer) {
        inTransaction(() -> {
            store.lock(payment.id());
            if (store.refund(refundId).refund().status() == CardRefund.Status.SUCCEEDED) {
                return null; // a status check got there first
            }
            if (answer.succeeded()) {
                Refund refund = payments.recordCardRefund(payment.invoiceId(), payment.paymentId(), amount, reason);
                store.setRefund(refundId, CardRefund.Status.SUCCEEDED, answer.providerRefundId(), refund.id(), null);
            } else if (answer.state() == ProviderRefund.State.CANCELED) {
                // The money stayed with the payment: nothing to record in billing, and nothing in flight any more.
                store.setRefund(
                        refundId, CardRefund.Status.FAILED, answer.providerRefundId(), null, answer.failureReason());
            } else {
                store.setRefund(refundId, CardRefund.Status.UNKNOWN, answer.providerRefundId(), null, null);
                store.checkAt(payment.id(), calendar.now().plus(properties.firstCheck()), false);
            }
            return null;
        });
    }

    /**
     * Asks the providers about every card payment whose check is due: creates whose outcome is unknown are
     * repeated with their own key, payments waiting for the payer or holding money are looked up, holds that
     * expired in Kopek are cancelled at the provider, unconfirmed refunds are matched against the refunded total.
     * Returns how many payments were checked.
     */
    public int checkDue() {
        requireNoTransaction();
        List<Long> due = store.dueForCheck(calendar.now(), 500);
        for (long id : due) {
            try {
                check(store.get(id));
            } catch (RuntimeException e) {
                log.warn("card payment {}: check failed, will try again: {}", id, e.toString());
                inTransaction(() -> {
                    store.checkAt(
                            id, calendar.now().plus(mirror.backoff(store.get(id).checks())), true);
                    return null;
                });
            }
        }
        return due.size();
    }

    private void check(CardPaymentStore.Row row) {
        CardPayment payment = row.payment();
        if (payment.status() == CardPayment.Status.CREATING || payment.status() == CardPayment.Status.UNKNOWN) {
            create(row, false);
            return;
        }
        if (payment.providerPaymentId() == null) {
            return; // final without ever reaching the provider
        }
        if (payment.status() == CardPayment.Status.AUTHORIZED && needsCancel(payment)) {
            cancelAtProvider(payment.id());
            return;
        }
        ProviderPayment view = routing.call(payment.provider(), false, p -> p.status(payment.providerPaymentId()));
        mirrorAndFollowUp(payment.id(), view);
        failCanceledRefunds(payment);
        inTransaction(() -> {
            CardPaymentStore.Row now = store.lock(payment.id());
            boolean unchanged = now.payment().status() == payment.status();
            failStaleRefunds(now);
            if (now.payment().status().isFinal() && store.openRefunds(now.id()).isEmpty()) {
                store.park(now.id());
            } else if (now.payment().status() == CardPayment.Status.AUTHORIZED
                    && now.payment().pendingOperation() == null
                    && now.payment().holdId() != null) {
                store.checkAt(now.id(), holds.get(now.payment().holdId()).expiresAt(), unchanged);
            } else {
                store.checkAt(now.id(), calendar.now().plus(mirror.backoff(now.checks())), unchanged);
            }
            return null;
        });
    }

    /** A hold that expired or was released in Kopek while the provider still holds the payer's money. */
    private boolean needsCancel(CardPayment payment) {
        if ("cancel".equals(payment.pendingOperation())) {
            return true;
        }
        return payment.holdId() != null && holds.get(payment.holdId()).status() != Hold.Status.ACTIVE;
    }

    /**
     * Open refunds the provider answered pending are asked about one by one where the provider can tell: one it
     * canceled fails at once, instead of counting as in flight until the grace period ends.
     */
    private void failCanceledRefunds(CardPayment payment) {
        for (var open : store.openRefunds(payment.id())) {
            String providerRefundId = open.refund().providerRefundId();
            if (providerRefundId == null) {
                continue;
            }
            Optional<ProviderRefund> now =
                    routing.call(payment.provider(), false, p -> p.refundStatus(providerRefundId));
            if (now.isPresent() && now.get().state() == ProviderRefund.State.CANCELED) {
                inTransaction(() -> {
                    store.lock(payment.id());
                    CardRefund.Status status =
                            store.refund(open.refund().id()).refund().status();
                    if (status != CardRefund.Status.SUCCEEDED && status != CardRefund.Status.FAILED) {
                        store.setRefund(
                                open.refund().id(),
                                CardRefund.Status.FAILED,
                                providerRefundId,
                                null,
                                now.get().failureReason());
                    }
                    return null;
                });
            }
        }
    }

    private void failStaleRefunds(CardPaymentStore.Row row) {
        Instant before = calendar.now().minus(properties.unknownRefundGrace());
        for (var r : store.openRefunds(row.id())) {
            if (r.refund().createdAt().isBefore(before)) {
                store.setRefund(
                        r.refund().id(),
                        CardRefund.Status.FAILED,
                        null,
                        null,
                        "the provider never showed this refund as made");
            }
        }
    }

    private void mirrorAndFollowUp(long id, ProviderPayment view) {
        Boolean cancel = inTransaction(() -> mirror.apply(id, view));
        if (Boolean.TRUE.equals(cancel)) {
            cancelAtProvider(id);
        }
    }

    /** Cancels an authorisation that Kopek cannot use; the answer (or a later check) mirrors it. */
    void cancelAtProvider(long id) {
        CardPaymentStore.Row row = store.get(id);
        try {
            ProviderPayment view = routing.call(
                    row.payment().provider(),
                    false,
                    p -> p.cancel(row.payment().providerPaymentId(), "cancel-" + row.idempotencyKey()));
            inTransaction(() -> mirror.apply(id, view));
        } catch (ProviderException e) {
            log.warn("card payment {}: cancel at the provider failed, will try again: {}", id, e.getMessage());
            inTransaction(() -> {
                store.setPendingOperation(id, "cancel", null, calendar.now().plus(properties.firstCheck()));
                return null;
            });
        }
    }

    /** Applies a verified provider view to the card payment it names; empty when it names none of ours. */
    Optional<Long> applyCallback(String provider, ProviderPayment view) {
        Optional<CardPaymentStore.Row> row =
                store.byProviderView(provider, view.providerPaymentId(), view.orderNumber());
        row.ifPresent(r -> mirrorAndFollowUp(r.id(), view));
        return row.map(CardPaymentStore.Row::id);
    }

    public CardPayment get(long id) {
        return store.get(id).payment();
    }

    public List<CardPayment> ofInvoice(long invoiceId) {
        return store.ofInvoice(invoiceId);
    }

    public List<CardRefund> refundsOf(long id) {
        store.get(id);
        return store.refundsOf(id);
    }

    private Optional<CardPaymentStore.Row> byRequestKey(String requestKey) {
        return requestKey == null ? Optional.empty() : store.byRequestKey(requestKey);
    }

    private <T> T inTransaction(Supplier<T> work) {
        return transactions.execute(tx -> work.get());
    }

    private static void requireNoTransaction() {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("card payments call providers and must not run inside a transaction");
        }
    }
}

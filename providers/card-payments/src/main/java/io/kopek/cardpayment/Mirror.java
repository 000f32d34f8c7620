package io.kopek.cardpayment;

import io.kopek.billing.Hold;
import io.kopek.billing.Holds;
import io.kopek.billing.Payment;
import io.kopek.billing.Payments;
import io.kopek.billing.Refund;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.money.Money;
import io.kopek.outbox.Outbox;
import io.kopek.provider.ProviderPayment;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Brings Kopek's books in line with a provider's view of a payment: the one place where a card payment's money
 * moves. Whoever learns the provider's state (the create answer, a capture, a callback, a status check) hands
 * it here; the card payment's row lock serialises them, the state only moves forward, and billing records each
 * provider payment once, so the same view applied twice, or twenty times at once, or late, changes nothing more.
 */
@Component
class Mirror {

    private static final Logger log = LoggerFactory.getLogger(Mirror.class);

    private final CardPaymentStore store;
    private final Holds holds;
    private final Payments payments;
    private final Outbox outbox;
    private final BusinessCalendar calendar;
    private final CardPaymentProperties properties;

    Mirror(
            CardPaymentStore store,
            Holds holds,
            Payments payments,
            Outbox outbox,
            BusinessCalendar calendar,
            CardPaymentProperties properties) {
        this.store = store;
        this.holds = holds;
        this.payments = payments;
        this.outbox = outbox;
        this.calendar = calendar;
        this.properties = properties;
    }

    /**
     * Applies the view; true when the provider still holds an authorisation the invoice cannot take, which the
     * caller then cancels (after this transaction).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    boolean apply(long id, ProviderPayment view) {
        CardPaymentStore.Row row = store.lock(id);
        CardPayment payment = row.payment();
        if (payment.providerPaymentId() != null && !payment.providerPaymentId().equals(view.providerPaymentId())) {
            throw new IllegalStateException("card payment " + id + " is " + payment.provider() + " payment "
                    + payment.providerPaymentId() + ", not " + view.providerPaymentId());
        }
        store.recordProviderView(
                id, view.providerPaymentId(), view.confirmationUrl(), view.cardMask(), view.failureReason());
        boolean cancel = false;
        switch (view.state()) {
            case PENDING -> pending(row);
            case AUTHORIZED -> cancel = authorized(row, view);
            case SUCCEEDED, REFUNDED -> {
                charged(row, view);
                refunds(row, view);
            }
            case CANCELED -> canceled(row, view);
        }
        return cancel;
    }

    private void pending(CardPaymentStore.Row row) {
        CardPayment.Status status = row.payment().status();
        if (status == CardPayment.Status.CREATING || status == CardPayment.Status.UNKNOWN) {
            store.setStatus(row.id(), CardPayment.Status.PENDING, calendar.now().plus(properties.firstCheck()));
        }
    }

    private boolean authorized(CardPaymentStore.Row row, ProviderPayment view) {
        CardPayment payment = row.payment();
        if (payment.status().isFinal()) {
            return false; // a late view of an earlier state
        }
        if (!payment.twoStage()) {
            pending(row); // authorised on the way to being charged
            return false;
        }
        Instant now = calendar.now();
        if (payment.holdId() == null) {
            Optional<Hold> hold = holds.placeCard(
                    payment.invoiceId(),
                    payment.amount(),
                    payment.provider(),
                    view.providerPaymentId(),
                    view.expiresAt());
            if (hold.isEmpty()) {
                log.warn(
                        "card payment {}: {} authorised {} but invoice {} cannot take it any more; cancelling",
                        payment.id(),
                        payment.provider(),
                        payment.amount(),
                        payment.invoiceId());
                store.setStatus(row.id(), CardPayment.Status.AUTHORIZED, now);
                store.setPendingOperation(row.id(), "cancel", null, now);
                return true;
            }
            store.setHold(row.id(), hold.get().id());
            store.setStatus(row.id(), CardPayment.Status.AUTHORIZED, hold.get().expiresAt());
            return false;
        }
        if (payment.status() != CardPayment.Status.AUTHORIZED) {
            store.setStatus(row.id(), CardPayment.Status.AUTHORIZED, now.plus(properties.firstCheck()));
        }
        Hold hold = holds.get(payment.holdId());
        if ("capture".equals(payment.pendingOperation()) || "cancel".equals(payment.pendingOperation())) {
            // The provider still holds the money, so that operation did not happen; it may be asked again.
            store.setPendingOperation(row.id(), null, null, hold.expiresAt());
        }
        return hold.status() != Hold.Status.ACTIVE;
    }

    private void charged(CardPaymentStore.Row row, ProviderPayment view) {
        CardPayment payment = row.payment();
        if (payment.status() == CardPayment.Status.SUCCEEDED) {
            return;
        }
        if (payment.status() == CardPayment.Status.CANCELED || payment.status() == CardPayment.Status.FAILED) {
            log.error(
                    "card payment {} is {} in Kopek but {} says it is charged; recording the money",
                    payment.id(),
                    payment.status().code(),
                    payment.provider());
        }
        Money captured = view.captured();
        Instant now = calendar.now();
        Hold hold = payment.holdId() == null ? null : holds.get(payment.holdId());
        if (hold != null && hold.status() == Hold.Status.ACTIVE && now.isBefore(hold.expiresAt())) {
            holds.capture(hold.id(), captured);
        } else if (hold != null && hold.status() == Hold.Status.ACTIVE) {
            log.warn(
                    "card payment {} was captured by {} after its hold {} expired in Kopek",
                    payment.id(),
                    payment.provider(),
                    hold.id());
        }
        Payment recorded =
                payments.recordCardPayment(payment.invoiceId(), captured, payment.provider(), view.providerPaymentId());
        store.setCharged(row.id(), recorded.id(), captured);
    }

    /** Open refunds that the provider's refunded total now covers are recorded, oldest first. */
    private void refunds(CardPaymentStore.Row row, ProviderPayment view) {
        var open = store.openRefunds(row.id());
        if (open.isEmpty()) {
            return;
        }
        CardPayment payment = store.get(row.id()).payment();
        Money recorded = store.refundsOf(row.id()).stream()
                .filter(r -> r.status() == CardRefund.Status.SUCCEEDED)
                .map(CardRefund::amount)
                .reduce(Money.zero(payment.amount().currency()), Money::plus);
        for (var r : open) {
            Money after = recorded.plus(r.refund().amount());
            if (after.compareTo(view.refunded()) > 0) {
                break;
            }
            Refund refund = payments.recordCardRefund(
                    payment.invoiceId(),
                    payment.paymentId(),
                    r.refund().amount(),
                    r.refund().reason());
            store.setRefund(r.refund().id(), CardRefund.Status.SUCCEEDED, null, refund.id(), null);
            recorded = after;
        }
    }

    private void canceled(CardPaymentStore.Row row, ProviderPayment view) {
        CardPayment payment = row.payment();
        if (payment.status().isFinal()) {
            if (payment.status() == CardPayment.Status.SUCCEEDED) {
                log.error("card payment {} is charged in Kopek but {} says it is cancelled", payment.id(), view);
            }
            return;
        }
        if (payment.holdId() != null) {
            Hold hold = holds.get(payment.holdId());
            if (hold.status() == Hold.Status.ACTIVE && calendar.now().isBefore(hold.expiresAt())) {
                holds.release(hold.id());
            } // an active hold past its time is voided as expired by the expiry job
        }
        String reason = view.failureReason() == null ? "canceled" : view.failureReason();
        store.end(row.id(), CardPayment.Status.CANCELED, reason);
        outbox.publish(new CardPaymentEvents.CardPaymentCanceled(
                payment.id(),
                payment.invoiceId(),
                payment.customerId(),
                payment.provider(),
                payment.amount().minor(),
                payment.amount().currency().getCurrencyCode(),
                reason));
    }

    /** The wait before asking about an unchanged payment again: doubling from the first, up to the longest. */
    Duration backoff(int checks) {
        Duration wait = properties.firstCheck().multipliedBy(1L << Math.min(checks, 16));
        return wait.compareTo(properties.maxCheckInterval()) > 0 ? properties.maxCheckInterval() : wait;
    }
}

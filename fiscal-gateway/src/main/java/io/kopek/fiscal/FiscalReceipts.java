package io.kopek.fiscal;

import io.kopek.billing.Invoicing;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.customer.Customers;
import io.kopek.errors.KopekException;
import io.kopek.fiscal.ReceiptStore.NewReceipt;
import io.kopek.installation.Installation;
import io.kopek.outbox.Outbox;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Fiscal receipts: made once per fiscal event, validated before they may leave (an invalid one is kept with its
 * reason and announced by a {@code fiscal.receipt_invalid} alert), and read with their fiscal attributes.
 */
@Service
public class FiscalReceipts {

    private final ReceiptStore store;
    private final FiscalProperties properties;
    private final Customers customers;
    private final Invoicing invoicing;
    private final Outbox outbox;
    private final BusinessCalendar calendar;
    private final Installation installation;

    FiscalReceipts(
            ReceiptStore store,
            FiscalProperties properties,
            Customers customers,
            Invoicing invoicing,
            Outbox outbox,
            BusinessCalendar calendar,
            Installation installation) {
        this.installation = installation;
        this.store = store;
        this.properties = properties;
        this.customers = customers;
        this.invoicing = invoicing;
        this.outbox = outbox;
        this.calendar = calendar;
    }

    /**
     * Validates and stores the receipt, in the caller's transaction; nothing when the event already has one.
     * Returns the new receipt's id.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    Optional<Long> save(NewReceipt receipt) {
        NewReceipt checked = receipt;
        if (receipt.state() == ReceiptState.PENDING) {
            List<String> problems = ReceiptValidation.problems(receipt.document(), receipt.expected());
            if (!problems.isEmpty()) {
                checked = receipt.withError(String.join("; ", problems));
            }
        }
        Optional<Long> id = store.insert(checked, properties.operator(), calendar.now());
        // The operator's key: unique to this installation, so another one sharing the operator group cannot collide.
        id.ifPresent(made -> store.externalId(made, ExternalIds.of(properties, installation.id(), made)));
        if (id.isPresent()) {
            ReceiptDocument d = checked.document();
            outbox.publish(new FiscalEvents.ReceiptCreated(
                    id.get(),
                    checked.eventKey(),
                    d.kind(),
                    checked.state(),
                    d.total(),
                    d.currency() == null ? "RUB" : d.currency(),
                    checked.invoiceId(),
                    checked.paymentId(),
                    checked.refundId(),
                    checked.customerId()));
        }
        if (id.isPresent() && checked.error() != null) {
            alertInvalid(id.get(), checked.eventKey(), checked.error());
        }
        return id;
    }

    void alertInvalid(long id, String eventKey, String reason) {
        outbox.publish(new FiscalEvents.ReceiptInvalid(id, eventKey, reason));
    }

    /**
     * Stores the fiscal attributes of a receipt the operator reports done, with a {@code fiscal.receipt_done} event;
     * in a transaction. Only a waiting receipt becomes done, so a repeated report (a second poller, a retried pass)
     * stores and announces nothing more.
     */
    boolean done(Receipt r, FiscalAttributes a, Instant now) {
        if (!store.done(r.id(), a, now)) {
            return false;
        }
        ReceiptDocument d = r.document();
        outbox.publish(new FiscalEvents.ReceiptDone(
                r.id(),
                r.eventKey(),
                r.kind(),
                d.total(),
                d.currency() == null ? "RUB" : d.currency(),
                r.invoiceId(),
                r.paymentId(),
                r.refundId(),
                r.customerId(),
                a.fnNumber(),
                a.fiscalDocumentNumber(),
                a.fiscalDocumentAttribute(),
                a.fiscalReceiptNumber(),
                a.registeredAt()));
        return true;
    }

    /** Stops the receipt as failed, with the reason and a {@code fiscal.receipt_failed} alert; in a transaction. */
    boolean fail(Receipt r, ReceiptState from, String reason) {
        if (store.stop(r.id(), from, ReceiptState.FAILED, reason)) {
            outbox.publish(new FiscalEvents.ReceiptFailed(r.id(), r.eventKey(), reason));
            return true;
        }
        return false;
    }

    /**
     * Puts a failed receipt back into the push queue, so the operator gets it again; refused (409
     * {@code receipt-not-failed}) for a receipt in any other state. Never two registrations of one receipt: an
     * attempt the operator had accepted and then failed is sent under a new external id, and the pusher checks
     * every failed attempt again first, adopting one registered after all; a receipt the operator never accepted
     * (it answered that the external id exists, without the receipt's id) goes under the same external id, so a
     * receipt registered under it is found, never registered twice. {@code actor} and {@code reason} are kept
     * ({@code receipt_resend}).
     */
    @Transactional
    public Receipt resend(long id, String actor, String reason) {
        Receipt r = store.lock(id).orElseThrow(() -> KopekException.notFound("receipt", id));
        if (r.state() != ReceiptState.FAILED) {
            throw KopekException.conflict(
                    "receipt-not-failed",
                    "receipt " + id + " is " + r.state().code() + "; only a failed receipt is sent again");
        }
        String externalId = r.operatorUuid() == null
                ? ExternalIds.current(properties, r)
                : ExternalIds.attempt(properties, r, r.resends() + 2);
        store.pendingAgain(id, r.operatorUuid(), externalId, calendar.now());
        store.resendAsked(id, actor, reason, externalId);
        return get(id);
    }

    /**
     * Makes a {@code sell_correction} receipt (чек коррекции) for a sale whose receipt was wrong or missing, with
     * the company from configuration and the customer's contacts. Idempotent by {@link Correction#key()}: the same
     * key returns the receipt made the first time.
     */
    @Transactional
    public Receipt correct(Correction c) {
        String key = "correction:" + c.key() + ":sell_correction";
        Optional<Receipt> existing = store.byEventKey(key);
        if (existing.isPresent()) {
            return existing.get();
        }
        if (c.invoiceId() != null && invoicing.get(c.invoiceId()).customerId() != c.customerId()) {
            // The receipt goes to the customer's contacts: it must not correct someone else's sale.
            throw KopekException.invalid(
                    "invoice-of-another-customer",
                    "invoice " + c.invoiceId() + " is not an invoice of customer " + c.customerId());
        }
        long total = c.items() == null
                ? 0
                : c.items().stream().mapToLong(ReceiptDocument.Item::sum).sum();
        ReceiptDocument document = new ReceiptDocument(
                ReceiptKind.SELL_CORRECTION,
                properties.company(),
                ReceiptDrafts.client(customers.get(c.customerId())),
                c.items(),
                c.payments(),
                total,
                "RUB",
                c.vatDate(),
                c.basis(),
                properties.internet(null));
        save(new NewReceipt(key, document, c.invoiceId(), null, null, c.customerId(), null, null, null));
        return store.byEventKey(key).orElseThrow();
    }

    @Transactional(readOnly = true)
    public Optional<Receipt> find(long id) {
        return store.find(id);
    }

    public Receipt get(long id) {
        return find(id).orElseThrow(() -> KopekException.notFound("receipt", id));
    }

    /** The receipt of a fiscal event, e.g. {@code payment:42:sell} or {@code refund:7:sell_refund}. */
    @Transactional(readOnly = true)
    public Optional<Receipt> byEventKey(String eventKey) {
        return store.byEventKey(eventKey);
    }

    @Transactional(readOnly = true)
    public List<Receipt> ofInvoice(long invoiceId) {
        return store.ofInvoice(invoiceId);
    }
}

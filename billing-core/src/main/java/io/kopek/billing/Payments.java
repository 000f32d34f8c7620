package io.kopek.billing;

import io.kopek.customer.Customers;
import io.kopek.errors.KopekException;
import io.kopek.ledger.Entry;
import io.kopek.ledger.InsufficientFundsException;
import io.kopek.ledger.Ledger;
import io.kopek.ledger.LedgerTransaction;
import io.kopek.money.Money;
import io.kopek.outbox.Outbox;
import io.kopek.pricing.BillingRule;
import io.kopek.pricing.VatRate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Paying invoices from the prepaid balance or by bank transfer, topping up balances, refunding. */
@Service
public class Payments {

    private final JdbcClient jdbc;
    private final InvoiceStore invoices;
    private final PaymentRecorder recorder;
    private final Customers customers;
    private final Ledger ledger;
    private final Accounts accounts;
    private final Outbox outbox;

    Payments(
            JdbcClient jdbc,
            InvoiceStore invoices,
            PaymentRecorder recorder,
            Customers customers,
            Ledger ledger,
            Accounts accounts,
            Outbox outbox) {
        this.jdbc = jdbc;
        this.invoices = invoices;
        this.recorder = recorder;
        this.customers = customers;
        this.ledger = ledger;
        this.accounts = accounts;
        this.outbox = outbox;
    }

    /**
     * Pays from the customer's prepaid balance. The balance may go below zero only as far as every rule of the
     * invoice grants credit; products whose rule holds first must be paid through a hold.
     */
    @Transactional
    public Payment payFromBalance(long invoiceId, Money amount) {
        Invoice invoice = invoices.lock(invoiceId);
        List<BillingRule> rules = recorder.rules(invoice);
        recorder.requireMethod(rules, "balance");
        if (rules.stream().anyMatch(BillingRule::holdFirst)) {
            throw KopekException.invalid(
                    "hold-required",
                    "invoice " + invoice.number() + " is paid through a hold; place one and capture it");
        }
        recorder.requirePayable(invoice, amount);
        long paymentId = recorder.insert(invoiceId, invoice.customerId(), "invoice", "balance", amount, null, null);
        String balance = accounts.balance(invoice.customerId(), amount.currency());
        ledger.post(LedgerTransaction.transfer(
                        Invoicing.transactionId("payment", paymentId),
                        "invoice_payment",
                        invoice.number(),
                        balance,
                        accounts.receivable(invoice.customerId(), amount.currency()),
                        amount)
                .withCreditLimit(balance, creditLimit(rules)));
        recorder.applyToInvoice(invoice, paymentId, amount, "balance");
        return recorder.find(paymentId);
    }

    static long creditLimit(List<BillingRule> rules) {
        return rules.stream().mapToLong(BillingRule::creditLimit).min().orElse(0);
    }

    /** An accountant records a bank transfer received for the invoice (e.g. from the bank statement). */
    @Transactional
    public Payment recordBankTransfer(long invoiceId, Money amount, String reference) {
        Invoice invoice = invoices.lock(invoiceId);
        recorder.requireMethod(recorder.rules(invoice), "bank_transfer");
        recorder.requirePayable(invoice, amount);
        requireReference(reference);
        long paymentId =
                recorder.insert(invoiceId, invoice.customerId(), "invoice", "bank_transfer", amount, reference, null);
        ledger.post(LedgerTransaction.transfer(
                Invoicing.transactionId("payment", paymentId),
                "invoice_payment",
                invoice.number(),
                accounts.bank(amount.currency()),
                accounts.receivable(invoice.customerId(), amount.currency()),
                amount));
        recorder.applyToInvoice(invoice, paymentId, amount, "bank_transfer");
        return recorder.find(paymentId);
    }

    /**
     * Checks that the invoice may be paid by card for {@code amount} (the whole outstanding amount when null),
     * {@code inFlight} (minor units of the invoice's currency) being card payments already under way, and says how: through a hold when any of its
     * rules holds first, through the providers every rule allows, in the first rule's order of priority.
     */
    @Transactional
    public CardTerms cardTerms(long invoiceId, Money amount, long inFlightMinor) {
        // Locked, so that a cancel of the invoice either sees the card payment about to be written or comes after
        // it and is refused (InvoiceCancellationGuard), never between the two.
        Invoice invoice = invoices.lock(invoiceId);
        Money inFlight = new Money(inFlightMinor, invoice.total().currency());
        List<BillingRule> rules = recorder.rules(invoice);
        recorder.requireMethod(rules, "card");
        Money available = invoice.outstanding().minus(inFlight);
        if (amount == null && invoice.status().acceptsPayment() && !available.isPositive()) {
            throw KopekException.conflict(
                    "card-payment-in-progress",
                    "card payments under way on invoice " + invoice.number() + " cover all that is outstanding");
        }
        Money wanted = amount == null ? available : amount;
        PaymentRecorder.requirePositive(wanted, invoice.total().currency());
        recorder.requirePayable(invoice, wanted.plus(inFlight));
        List<String> providers = rules.getFirst().providers().stream()
                .filter(p -> rules.stream().allMatch(r -> r.providers().contains(p)))
                .toList();
        if (providers.isEmpty()) {
            throw KopekException.invalid(
                    "no-card-provider", "the rules of invoice " + invoice.number() + " name no provider in common");
        }
        return new CardTerms(invoice, wanted, rules.stream().anyMatch(BillingRule::holdFirst), providers);
    }

    /**
     * A card payment that a provider has charged in one stage: its provider's clearing account owes the money.
     * Recorded once per provider payment; a repeat (a second callback, a status check) returns the first. Money
     * the invoice can no longer take (cancelled, or paid another way meanwhile) is real all the same: it becomes
     * an advance on the customer's balance, to be used or refunded, and says so in its event.
     */
    @Transactional
    public Payment recordCardPayment(long invoiceId, Money amount, String provider, String providerPaymentId) {
        Invoice invoice = invoices.lock(invoiceId);
        Optional<Payment> earlier = recorder.findByProviderPayment(provider, providerPaymentId);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        PaymentRecorder.requirePositive(amount, invoice.total().currency());
        boolean toInvoice = invoice.status().acceptsPayment() && amount.compareTo(invoice.outstanding()) <= 0;
        long paymentId = recorder.insert(
                toInvoice ? invoiceId : null,
                invoice.customerId(),
                toInvoice ? "invoice" : "top_up",
                "card",
                amount,
                toInvoice ? null : invoice.number(),
                null,
                provider,
                providerPaymentId);
        ledger.post(LedgerTransaction.transfer(
                Invoicing.transactionId("payment", paymentId),
                toInvoice ? "invoice_payment" : "top_up",
                invoice.number(),
                accounts.providerClearing(provider, amount.currency()),
                toInvoice
                        ? accounts.receivable(invoice.customerId(), amount.currency())
                        : accounts.balance(invoice.customerId(), amount.currency()),
                amount));
        if (toInvoice) {
            recorder.applyToInvoice(invoice, paymentId, amount, "card");
            return recorder.find(paymentId);
        }
        publishToppedUp(
                paymentId,
                invoice.customerId(),
                amount,
                invoiceId,
                "invoice " + invoice.number() + " could not take it ("
                        + invoice.status().code() + ", " + invoice.outstanding() + " outstanding)");
        return recorder.find(paymentId);
    }

    /** The payment recorded for a provider's payment, if any. */
    @Transactional(readOnly = true)
    public Optional<Payment> byProviderPayment(String provider, String providerPaymentId) {
        return recorder.findByProviderPayment(provider, providerPaymentId);
    }

    /** A bank transfer to the customer's prepaid balance. */
    @Transactional
    public Payment topUp(long customerId, Money amount, String reference) {
        customers.get(customerId);
        PaymentRecorder.requirePositive(amount, amount.currency());
        requireReference(reference);
        // Serialise on the customer's balance row, so concurrent top-ups cannot interleave oddly.
        String balance = accounts.balance(customerId, amount.currency());
        long paymentId = recorder.insert(null, customerId, "top_up", "bank_transfer", amount, reference, null);
        ledger.post(LedgerTransaction.transfer(
                Invoicing.transactionId("payment", paymentId),
                "top_up",
                reference,
                accounts.bank(amount.currency()),
                balance,
                amount));
        publishToppedUp(paymentId, customerId, amount, null, null);
        return recorder.find(paymentId);
    }

    /** Money on the customer's prepaid balance; the invoice and reason say where it came from when that is news. */
    private void publishToppedUp(long paymentId, long customerId, Money amount, Long invoiceId, String reason) {
        outbox.publish(new BillingEvents.BalanceToppedUp(
                paymentId, customerId, amount.minor(), amount.currency().getCurrencyCode(), invoiceId, reason));
    }

    private static void requireReference(String reference) {
        if (reference == null || reference.isBlank()) {
            throw KopekException.invalid("reference-required", "a bank transfer needs its document reference");
        }
    }

    /** A payment by id; not-found when there is none. */
    @Transactional(readOnly = true)
    public Payment get(long paymentId) {
        return recorder.find(paymentId);
    }

    @Transactional(readOnly = true)
    public List<Payment> ofInvoice(long invoiceId) {
        return jdbc.sql("select " + PaymentRecorder.COLUMNS + " from payment where invoice_id = ? order by id")
                .param(invoiceId)
                .query(PaymentRecorder::payment)
                .list();
    }

    @Transactional(readOnly = true)
    public List<Refund> refundsOf(long invoiceId) {
        return jdbc.sql("select " + REFUND_COLUMNS + " from refund where invoice_id = ? order by id")
                .param(invoiceId)
                .query(Payments::refundRow)
                .list();
    }

    private static final String REFUND_COLUMNS = "id, invoice_id, payment_id, amount, currency, reason, created_at";

    private Refund refundById(long refundId) {
        return jdbc.sql("select " + REFUND_COLUMNS + " from refund where id = ?")
                .param(refundId)
                .query(Payments::refundRow)
                .single();
    }

    private static Refund refundRow(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Refund(
                rs.getLong("id"),
                (Long) rs.getObject("invoice_id"),
                rs.getLong("payment_id"),
                Money.of(rs.getLong("amount"), rs.getString("currency")),
                rs.getString("reason"),
                rs.getTimestamp("created_at").toInstant());
    }

    /**
     * Refunds part or all of a payment of a paid invoice, back where it came from (the balance, or the bank).
     * Revenue and VAT are taken back line by line in proportion to what is left on each line, with VAT rounded
     * cumulatively so that a full refund returns exactly the VAT that was charged.
     */
    @Transactional
    public Refund refund(long invoiceId, Long paymentId, Money amount, String reason) {
        Invoice invoice = invoices.lock(invoiceId);
        Payment payment = refundable(invoice, paymentId, amount, Money.zero(amount.currency()));
        if (payment.method() == Payment.Method.CARD) {
            throw KopekException.conflict(
                    "card-refund-through-provider",
                    "payment " + payment.id() + " was taken by card through " + payment.provider()
                            + "; refund it through its card payment, so the provider returns the money");
        }
        return refund(invoice, payment, amount, reason);
    }

    /**
     * Checks that {@code amount} of the payment can be refunded, {@code inFlight} being refunds already asked of
     * a provider and not yet recorded; nothing changes. Returns the payment.
     */
    @Transactional
    public Payment checkRefundable(long invoiceId, long paymentId, Money amount, Money inFlight) {
        if (isTopUp(paymentId)) {
            return topUpRefundable(lockPayment(paymentId), amount, inFlight, true);
        }
        return refundable(invoices.lock(invoiceId), paymentId, amount, inFlight);
    }

    /**
     * Records the refund of a card payment once its provider has returned the money: of the invoice it paid, or,
     * when the invoice could not take it and it became a top-up, of the customer's balance.
     */
    @Transactional
    public Refund recordCardRefund(long invoiceId, long paymentId, Money amount, String reason) {
        if (isTopUp(paymentId)) {
            Payment payment = lockPayment(paymentId);
            return refundTopUp(topUpRefundable(payment, amount, Money.zero(amount.currency()), false), amount, reason);
        }
        Invoice invoice = invoices.lock(invoiceId);
        return refund(invoice, refundable(invoice, paymentId, amount, Money.zero(amount.currency())), amount, reason);
    }

    private boolean isTopUp(long paymentId) {
        return recorder.find(paymentId).purpose() == Payment.Purpose.TOP_UP;
    }

    private Payment lockPayment(long paymentId) {
        return jdbc.sql("select " + PaymentRecorder.COLUMNS + " from payment where id = ? for update")
                .param(paymentId)
                .query(PaymentRecorder::payment)
                .single();
    }

    /**
     * A card top-up can go back to the card as far as it is not refunded yet, and, before the provider is asked,
     * as far as the balance still has it: money the customer has spent is not given back twice. {@code inFlight}
     * is what refunds already asked of the provider will take.
     */
    private Payment topUpRefundable(Payment payment, Money amount, Money inFlight, boolean beforeTheProvider) {
        if (payment.method() != Payment.Method.CARD) {
            throw KopekException.conflict(
                    "top-up-not-by-card", "payment " + payment.id() + " did not come from a card");
        }
        PaymentRecorder.requirePositive(amount, payment.amount().currency());
        Money refundable = payment.amount().minus(payment.refunded()).minus(inFlight);
        if (amount.compareTo(refundable) > 0) {
            throw KopekException.invalid(
                    "amount-exceeds-refundable",
                    "payment " + payment.id() + " has " + refundable + " left to refund, " + amount + " asked");
        }
        if (beforeTheProvider) {
            String balance = accounts.balance(payment.customerId(), amount.currency());
            Money available = ledger.balance(balance)
                    .map(b -> b.available())
                    .orElse(Money.zero(amount.currency()))
                    .minus(inFlight);
            if (amount.compareTo(available) > 0) {
                throw new InsufficientFundsException(balance, available, amount);
            }
        }
        return payment;
    }

    /**
     * The provider has returned a card top-up (or part of it) to the card: the balance gives the money back to the
     * provider's clearing account, in one balanced transaction named after the refund (so posting it again changes
     * nothing). The money has already left, so the books follow even when the customer spent the balance
     * meanwhile (between the check and the provider's answer): the balance then shows what the customer owes.
     */
    private Refund refundTopUp(Payment payment, Money amount, String reason) {
        long refundId = jdbc.sql("insert into refund (invoice_id, payment_id, amount, currency, reason)"
                        + " values (null, ?, ?, ?, ?) returning id")
                .params(payment.id(), amount.minor(), amount.currency().getCurrencyCode(), reason)
                .query(Long.class)
                .single();
        String balance = accounts.balance(payment.customerId(), amount.currency());
        ledger.post(LedgerTransaction.transfer(
                        Invoicing.transactionId("refund", refundId),
                        "top_up_refund",
                        payment.reference(),
                        balance,
                        accounts.providerClearing(payment.provider(), amount.currency()),
                        amount)
                .withCreditLimit(balance, amount.minor()));
        jdbc.sql("update payment set refunded_amount = refunded_amount + ? where id = ?")
                .params(amount.minor(), payment.id())
                .update();
        outbox.publish(new BillingEvents.BalanceRefunded(
                refundId,
                payment.id(),
                payment.customerId(),
                amount.minor(),
                amount.currency().getCurrencyCode(),
                payment.provider()));
        return refundById(refundId);
    }

    private Payment refundable(Invoice invoice, Long paymentId, Money amount, Money inFlight) {
        if (!invoice.status().canBecome(InvoiceStatus.REFUNDED)) {
            throw KopekException.conflict(
                    "invoice-not-refundable",
                    "invoice " + invoice.number() + " is " + invoice.status().code()
                            + "; only paid invoices are refunded");
        }
        PaymentRecorder.requirePositive(amount, invoice.total().currency());
        Payment payment = paymentToRefund(invoice.id(), paymentId);
        Money refundable = payment.amount().minus(payment.refunded()).minus(inFlight);
        if (amount.compareTo(refundable) > 0) {
            throw KopekException.invalid(
                    "amount-exceeds-refundable",
                    "payment " + payment.id() + " has " + refundable + " left to refund, " + amount + " asked");
        }
        return payment;
    }

    private Refund refund(Invoice invoice, Payment payment, Money amount, String reason) {
        long invoiceId = invoice.id();
        TakenBack taken = takeBackFromLines(invoiceId, amount);
        long refundId = jdbc.sql("insert into refund (invoice_id, payment_id, amount, currency, reason)"
                        + " values (?, ?, ?, ?, ?) returning id")
                .params(
                        invoiceId,
                        payment.id(),
                        amount.minor(),
                        amount.currency().getCurrencyCode(),
                        reason)
                .query(Long.class)
                .single();
        postRefund(invoice, payment, amount, refundId, taken);
        jdbc.sql("update payment set refunded_amount = refunded_amount + ? where id = ?")
                .params(amount.minor(), payment.id())
                .update();
        invoices.addRefunded(invoiceId, amount.minor());
        Money refunded = invoice.refunded().plus(amount);
        InvoiceStatus next =
                refunded.equals(invoice.paid()) ? InvoiceStatus.REFUNDED : InvoiceStatus.PARTIALLY_REFUNDED;
        invoices.setStatus(invoiceId, invoice.status(), next);
        outbox.publish(new BillingEvents.RefundSucceeded(
                refundId,
                invoiceId,
                payment.id(),
                amount.minor(),
                amount.currency().getCurrencyCode()));
        return refundsOf(invoiceId).stream()
                .filter(r -> r.id() == refundId)
                .findFirst()
                .orElseThrow();
    }

    /** What a refund takes back: revenue per category and VAT, in minor units. */
    private record TakenBack(Map<String, Long> revenue, long vat) {}

    /**
     * Allocates the amount over the lines in proportion to what is left on each, with VAT rounded cumulatively so
     * that a full refund returns exactly the VAT that was charged, and records each line's share.
     */
    private TakenBack takeBackFromLines(long invoiceId, Money amount) {
        List<InvoiceStore.LineState> lines = invoices.lineStates(invoiceId);
        long[] shares = Allocation.proportional(
                amount.minor(),
                lines.stream().mapToLong(l -> l.amount() - l.refundedAmount()).toArray());
        Map<String, Long> revenue = new LinkedHashMap<>();
        long vat = 0;
        for (int i = 0; i < lines.size(); i++) {
            InvoiceStore.LineState line = lines.get(i);
            if (shares[i] == 0) {
                continue;
            }
            long vatShare = new VatRate(line.vatCode(), line.vatRateBp()).includedIn(line.refundedAmount() + shares[i])
                    - line.refundedVat();
            invoices.addLineRefund(invoiceId, line.lineNo(), shares[i], vatShare);
            revenue.merge(line.category(), shares[i] - vatShare, Long::sum);
            vat += vatShare;
        }
        return new TakenBack(revenue, vat);
    }

    /** Revenue and VAT debited, the money credited back where the payment came from. */
    private void postRefund(Invoice invoice, Payment payment, Money amount, long refundId, TakenBack taken) {
        List<Entry> entries = new ArrayList<>();
        for (var r : taken.revenue().entrySet()) {
            if (r.getValue() > 0) {
                entries.add(Entry.debit(
                        accounts.revenue(r.getKey(), amount.currency()), new Money(r.getValue(), amount.currency())));
            }
        }
        if (taken.vat() > 0) {
            entries.add(Entry.debit(accounts.vatPayable(amount.currency()), new Money(taken.vat(), amount.currency())));
        }
        String destination = switch (payment.method()) {
            case BALANCE -> accounts.balance(invoice.customerId(), amount.currency());
            case CARD -> accounts.providerClearing(payment.provider(), amount.currency());
            case BANK_TRANSFER -> accounts.bank(amount.currency());
        };
        entries.add(Entry.credit(destination, amount));
        ledger.post(new LedgerTransaction(
                Invoicing.transactionId("refund", refundId), "refund", invoice.number(), entries));
    }

    private Payment paymentToRefund(long invoiceId, Long paymentId) {
        List<Payment> refundable = ofInvoice(invoiceId).stream()
                .filter(p -> p.refunded().compareTo(p.amount()) < 0)
                .toList();
        if (paymentId != null) {
            return refundable.stream()
                    .filter(p -> p.id() == paymentId)
                    .findFirst()
                    .orElseThrow(() -> KopekException.invalid(
                            "payment-not-refundable",
                            "payment " + paymentId + " is not a refundable payment of this invoice"));
        }
        if (refundable.size() != 1) {
            throw KopekException.invalid(
                    "payment-required",
                    "the invoice has " + refundable.size() + " refundable payments; name one with payment_id");
        }
        return refundable.getFirst();
    }
}

package io.kopek.billing;

import io.kopek.calendar.BusinessCalendar;
import io.kopek.errors.KopekException;
import io.kopek.money.Money;
import io.kopek.pricing.BillingRule;
import io.kopek.pricing.Pricing;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What every way of paying an invoice shares: the payment row, the invoice's new amount and status, events. */
@Component
class PaymentRecorder {

    static final String COLUMNS = "id, invoice_id, customer_id, purpose, method, provider, status, amount, currency,"
            + " refunded_amount, reference, hold_id, created_at, provider_payment_id";

    private final JdbcClient jdbc;
    private final Pricing pricing;
    private final BusinessCalendar calendar;
    private final Map<Long, BillingRule> rules = new ConcurrentHashMap<>();

    PaymentRecorder(JdbcClient jdbc, Pricing pricing, BusinessCalendar calendar) {
        this.jdbc = jdbc;
        this.pricing = pricing;
        this.calendar = calendar;
    }

    /**
     * The rules that priced the invoice's lines; a payment must satisfy all of them. Cached: what a payment
     * reads of a rule (methods, hold, credit) never changes after the rule is created.
     */
    List<BillingRule> rules(Invoice invoice) {
        return invoice.lines().stream()
                .map(InvoiceLine::ruleId)
                .distinct()
                .map(id -> rules.computeIfAbsent(id, r -> pricing.rule(r).orElseThrow()))
                .toList();
    }

    void requireMethod(List<BillingRule> rules, String method) {
        for (BillingRule rule : rules) {
            if (!rule.allows(method)) {
                throw KopekException.invalid(
                        "payment-method-not-allowed",
                        "rule " + rule.id() + " (" + rule.category() + ") does not allow paying by " + method);
            }
        }
    }

    void requirePayable(Invoice invoice, Money amount) {
        if (!invoice.status().acceptsPayment()) {
            throw KopekException.conflict(
                    "invoice-not-payable",
                    "invoice " + invoice.number() + " is " + invoice.status().code());
        }
        requirePositive(amount, invoice.total().currency());
        if (amount.compareTo(invoice.outstanding()) > 0) {
            throw KopekException.invalid(
                    "amount-exceeds-outstanding",
                    "invoice " + invoice.number() + " has " + invoice.outstanding() + " outstanding, " + amount
                            + " offered");
        }
    }

    static void requirePositive(Money amount, Currency currency) {
        if (!amount.currency().equals(currency)) {
            throw KopekException.invalid(
                    "currency-mismatch",
                    "amount is in " + amount.currency() + ", expected " + currency.getCurrencyCode());
        }
        if (!amount.isPositive()) {
            throw KopekException.invalid("invalid-amount", "amount must be positive");
        }
        if (amount.minor() > Bounds.MAX_AMOUNT) {
            throw KopekException.invalid(
                    "amount-too-large", "amount must be at most " + Bounds.MAX_AMOUNT + " minor units");
        }
    }

    long insert(
            Long invoiceId,
            long customerId,
            String purpose,
            String method,
            Money amount,
            String reference,
            Long holdId) {
        return insert(invoiceId, customerId, purpose, method, amount, reference, holdId, null, null);
    }

    long insert(
            Long invoiceId,
            long customerId,
            String purpose,
            String method,
            Money amount,
            String reference,
            Long holdId,
            String provider,
            String providerPaymentId) {
        // created_at is the business clock's: it is the settlement's date, which decides the VAT rate of its receipt.
        return jdbc.sql("insert into payment (invoice_id, customer_id, purpose, method, status, amount, currency,"
                        + " reference, hold_id, provider, provider_payment_id, created_at)"
                        + " values (?, ?, ?, ?, 'succeeded', ?, ?, ?, ?, ?, ?, ?) returning id")
                .params(
                        invoiceId,
                        customerId,
                        purpose,
                        method,
                        amount.minor(),
                        amount.currency().getCurrencyCode(),
                        reference,
                        holdId,
                        provider,
                        providerPaymentId,
                        java.sql.Timestamp.from(calendar.now()))
                .query(Long.class)
                .single();
    }

    /**
     * Adds the payment to the invoice (locked by the caller) and moves it to paid or partially paid (an overdue one
     * stays overdue), with its events: the database function {@code invoice_apply_payment}, which a hold's capture
     * calls too.
     */
    void applyToInvoice(Invoice invoice, long paymentId, Money amount, String method) {
        Refusals.call(() -> jdbc.sql("select invoice_apply_payment(?, ?, ?, ?)")
                .params(invoice.id(), paymentId, amount.minor(), method)
                .query()
                .singleRow());
    }

    Optional<Payment> findByProviderPayment(String provider, String providerPaymentId) {
        return jdbc.sql("select " + COLUMNS + " from payment where provider = ? and provider_payment_id = ?")
                .params(provider, providerPaymentId)
                .query(PaymentRecorder::payment)
                .optional();
    }

    Payment find(long id) {
        return jdbc.sql("select " + COLUMNS + " from payment where id = ?")
                .param(id)
                .query(PaymentRecorder::payment)
                .optional()
                .orElseThrow(() -> KopekException.notFound("payment", id));
    }

    static Payment payment(ResultSet rs, int n) throws SQLException {
        Currency currency = Currency.getInstance(rs.getString("currency"));
        return new Payment(
                rs.getLong("id"),
                (Long) rs.getObject("invoice_id"),
                rs.getLong("customer_id"),
                Payment.Purpose.of(rs.getString("purpose")),
                Payment.Method.of(rs.getString("method")),
                rs.getString("provider"),
                Payment.Status.of(rs.getString("status")),
                new Money(rs.getLong("amount"), currency),
                new Money(rs.getLong("refunded_amount"), currency),
                rs.getString("reference"),
                (Long) rs.getObject("hold_id"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getString("provider_payment_id"));
    }
}

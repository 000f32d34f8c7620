package io.kopek.fiscal;

import io.kopek.billing.BillingEvents.BalanceToppedUp;
import io.kopek.billing.BillingEvents.PaymentSucceeded;
import io.kopek.billing.BillingEvents.RefundSucceeded;
import io.kopek.billing.Invoice;
import io.kopek.billing.InvoiceLine;
import io.kopek.billing.Invoicing;
import io.kopek.billing.Payment;
import io.kopek.billing.Payments;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.catalog.Catalog;
import io.kopek.catalog.Product;
import io.kopek.customer.Customer;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.fiscal.ReceiptDocument.Item;
import io.kopek.fiscal.ReceiptStore.NewReceipt;
import io.kopek.outbox.Outbox;
import io.kopek.outbox.OutboxEvent;
import io.kopek.pricing.Pricing;
import io.kopek.pricing.VatRate;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Builds the receipt a fiscal event calls for, from what billing-core's public services say about it: the
 * invoice's lines (names, prices, quantities, VAT by the invoice date), the customer's contacts, the product's
 * measure. Totals are the event's money exactly.
 */
@Component
class ReceiptDrafts {

    private static final Map<String, Integer> MEASURES = Map.ofEntries(
            Map.entry("piece", 0),
            Map.entry("g", 10),
            Map.entry("kg", 11),
            Map.entry("t", 12),
            Map.entry("cm", 20),
            Map.entry("dm", 21),
            Map.entry("m", 22),
            Map.entry("cm2", 30),
            Map.entry("dm2", 31),
            Map.entry("m2", 32),
            Map.entry("ml", 40),
            Map.entry("l", 41),
            Map.entry("m3", 42),
            Map.entry("kwh", 50),
            Map.entry("gcal", 51),
            Map.entry("day", 70),
            Map.entry("hour", 71),
            Map.entry("minute", 72),
            Map.entry("second", 73),
            Map.entry("kb", 80),
            Map.entry("mb", 81),
            Map.entry("gb", 82),
            Map.entry("tb", 83));

    private final FiscalProperties properties;
    private final Invoicing invoicing;
    private final Payments payments;
    private final Customers customers;
    private final Catalog catalog;
    private final Pricing pricing;
    private final BusinessCalendar calendar;

    ReceiptDrafts(
            FiscalProperties properties,
            Invoicing invoicing,
            Payments payments,
            Customers customers,
            Catalog catalog,
            Pricing pricing,
            BusinessCalendar calendar) {
        this.properties = properties;
        this.invoicing = invoicing;
        this.payments = payments;
        this.customers = customers;
        this.catalog = catalog;
        this.pricing = pricing;
        this.calendar = calendar;
    }

    /** The receipt an outbox event needs, if any. */
    Optional<NewReceipt> forEvent(OutboxEvent event) {
        return switch (event.type()) {
            case "payment.succeeded" -> Optional.of(invoicePayment(Outbox.payload(event, PaymentSucceeded.class)));
            case "balance.topped_up" ->
                Optional.of(topUp(
                        Outbox.payload(event, BalanceToppedUp.class),
                        LocalDate.ofInstant(event.occurredAt(), calendar.zone())));
            case "refund.succeeded" -> Optional.of(refund(Outbox.payload(event, RefundSucceeded.class)));
            default -> Optional.empty();
        };
    }

    /**
     * An invoice paid by card or bank: a sell of its lines, settled in full ({@code full_payment}) when the payment
     * covers the invoice, else each line's share. Paid from the prepaid balance: the same items, but the payment is
     * the offset of the advance received earlier (payment type 2), so the money is not counted twice.
     */
    private NewReceipt invoicePayment(PaymentSucceeded p) {
        long paymentId = p.paymentId();
        long invoiceId = p.invoiceId();
        long customerId = p.customerId();
        long amount = p.amount();
        String currency = p.currency();
        String key = "payment:" + paymentId + ":sell";
        List<String> problems = new ArrayList<>();
        Invoice invoice = invoicing.get(invoiceId);
        boolean whole = amount == invoice.total().minor();
        List<Item> items =
                items(invoice, amount, whole ? PaymentMethod.FULL_PAYMENT : PaymentMethod.PARTIAL_PAYMENT, problems);
        int type = p.method() == Payment.Method.BALANCE
                ? ReceiptDocument.Payment.PREPAID
                : ReceiptDocument.Payment.ELECTRONIC;
        ReceiptDocument document = new ReceiptDocument(
                ReceiptKind.SELL,
                properties.company(),
                client(customers.get(customerId)),
                items,
                List.of(new ReceiptDocument.Payment(type, amount)),
                amount,
                currency,
                invoice.issueDate(),
                null);
        return new NewReceipt(key, document, invoiceId, paymentId, null, customerId, amount, join(problems));
    }

    /**
     * A top-up of the prepaid balance: a sell of an advance ({@code full_prepayment}, payment object 10), VAT at
     * the calculated rate ("22/122") in force on the day the money came.
     */
    private NewReceipt topUp(BalanceToppedUp p, LocalDate day) {
        long paymentId = p.paymentId();
        long customerId = p.customerId();
        long amount = p.amount();
        List<String> problems = new ArrayList<>();
        VatRate rate = pricing.vatRate(properties.advanceVat(), day);
        VatType vat = vatType(rate.code(), rate.rateBp(), true, problems);
        ReceiptDocument document = new ReceiptDocument(
                ReceiptKind.SELL,
                properties.company(),
                client(customers.get(customerId)),
                vat == null
                        ? List.of()
                        : List.of(Item.priced(
                                properties.advanceItemName(),
                                amount,
                                BigDecimal.ONE,
                                ReceiptDocument.MEASURE_PIECE,
                                PaymentMethod.FULL_PREPAYMENT,
                                ReceiptDocument.OBJECT_PAYMENT,
                                vat)),
                List.of(new ReceiptDocument.Payment(ReceiptDocument.Payment.ELECTRONIC, amount)),
                amount,
                p.currency(),
                day,
                null);
        return new NewReceipt(
                "payment:" + paymentId + ":sell", document, null, paymentId, null, customerId, amount, join(problems));
    }

    /** A refund: a sell_refund of the refunded share of the lines, back the way the payment came. */
    private NewReceipt refund(RefundSucceeded p) {
        long refundId = p.refundId();
        long invoiceId = p.invoiceId();
        long paymentId = p.paymentId();
        long amount = p.amount();
        List<String> problems = new ArrayList<>();
        Invoice invoice = invoicing.get(invoiceId);
        Payment payment = payments.ofInvoice(invoiceId).stream()
                .filter(x -> x.id() == paymentId)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("refund " + refundId + ": no payment " + paymentId));
        PaymentMethod method =
                payment.amount().equals(invoice.total()) ? PaymentMethod.FULL_PAYMENT : PaymentMethod.PARTIAL_PAYMENT;
        int type = payment.method() == Payment.Method.BALANCE
                ? ReceiptDocument.Payment.PREPAID
                : ReceiptDocument.Payment.ELECTRONIC;
        ReceiptDocument document = new ReceiptDocument(
                ReceiptKind.SELL_REFUND,
                properties.company(),
                client(customers.get(invoice.customerId())),
                items(invoice, amount, method, problems),
                List.of(new ReceiptDocument.Payment(type, amount)),
                amount,
                p.currency(),
                invoice.issueDate(),
                null);
        return new NewReceipt(
                "refund:" + refundId + ":sell_refund",
                document,
                invoiceId,
                paymentId,
                refundId,
                invoice.customerId(),
                amount,
                join(problems));
    }

    /**
     * The invoice's lines as items when {@code amount} is the whole invoice; otherwise each line's share of it
     * (largest remainder, so the shares add up to the amount exactly) as one unit at that price.
     */
    private List<Item> items(Invoice invoice, long amount, PaymentMethod method, List<String> problems) {
        List<InvoiceLine> lines = invoice.lines();
        List<Item> items = new ArrayList<>();
        boolean whole = amount == invoice.total().minor();
        long[] shares = whole
                ? lines.stream().mapToLong(l -> l.amount().minor()).toArray()
                : proportional(
                        amount,
                        lines.stream().mapToLong(l -> l.amount().minor()).toArray());
        for (int i = 0; i < lines.size(); i++) {
            InvoiceLine line = lines.get(i);
            if (!whole && shares[i] == 0) {
                continue;
            }
            VatType vat = vatType(line.vatCode(), line.vatRateBp(), false, problems);
            if (vat == null) {
                continue;
            }
            int measure = catalog.product(line.productId())
                    .map(Product::measure)
                    .map(ReceiptDrafts::measure)
                    .orElse(255);
            long price = whole ? line.unitPrice().minor() : shares[i];
            BigDecimal quantity = whole ? line.quantity() : BigDecimal.ONE;
            items.add(new Item(
                    name(line.name()),
                    price,
                    quantity,
                    measure,
                    shares[i],
                    method,
                    properties.paymentObjectOf(line.category()),
                    vat,
                    vat.includedIn(shares[i])));
        }
        return items;
    }

    private static VatType vatType(String code, int rateBp, boolean calculated, List<String> problems) {
        Optional<VatType> type = VatType.forRate(code, rateBp, calculated);
        if (type.isEmpty()) {
            problems.add("VAT rate " + code + " (" + BigDecimal.valueOf(rateBp, 2) + " %) has no receipt VAT type");
        }
        return type.orElse(null);
    }

    /** The buyer's contacts: e-mail and phone as they are; name and INN for an organisation. */
    static ReceiptDocument.Client client(Customer c) {
        boolean organisation = c.type() != CustomerType.INDIVIDUAL;
        String phone = c.phone() == null ? null : c.phone().replaceAll("[\\s()\\-]", "");
        return new ReceiptDocument.Client(
                blankToNull(c.email()),
                blankToNull(phone),
                organisation ? c.name() : null,
                organisation ? c.inn() : null);
    }

    static int measure(String name) {
        if (name == null) {
            return 255;
        }
        String key = name.trim().toLowerCase(java.util.Locale.ROOT);
        if (key.matches("[0-9]{1,3}")) {
            return Integer.parseInt(key);
        }
        return MEASURES.getOrDefault(key, 255);
    }

    private static String name(String name) {
        return name.length() <= 128 ? name : name.substring(0, 128);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String join(List<String> problems) {
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    /** Largest remainder: floors, then the kopecks left to the largest remainders (earlier on a tie). */
    static long[] proportional(long amount, long[] weights) {
        long total = 0;
        for (long w : weights) {
            total = Math.addExact(total, w);
        }
        long[] shares = new long[weights.length];
        if (total == 0) {
            return shares;
        }
        BigInteger[] remainders = new BigInteger[weights.length];
        long given = 0;
        for (int i = 0; i < weights.length; i++) {
            BigInteger[] qr = BigInteger.valueOf(amount)
                    .multiply(BigInteger.valueOf(weights[i]))
                    .divideAndRemainder(BigInteger.valueOf(total));
            shares[i] = qr[0].longValueExact();
            remainders[i] = qr[1];
            given += shares[i];
        }
        for (long left = amount - given; left > 0; left--) {
            int best = 0;
            for (int i = 1; i < weights.length; i++) {
                if (remainders[i].compareTo(remainders[best]) > 0) {
                    best = i;
                }
            }
            shares[best]++;
            remainders[best] = BigInteger.valueOf(-1);
        }
        return shares;
    }
}

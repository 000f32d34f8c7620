package io.kopek.fiscal;

import io.kopek.billing.BillingEvents.BalanceRefunded;
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
import io.kopek.catalog.Merchant;
import io.kopek.catalog.Product;
import io.kopek.customer.Customer;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.fiscal.ReceiptDocument.Item;
import io.kopek.fiscal.ReceiptStore.NewReceipt;
import io.kopek.fiscal.ReceiptValidation.Settlement;
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
 * invoice's lines (names, prices, quantities, VAT code), the payments before it, the customer's contacts, the
 * product's measure; or decides that the event needs none (an exempt row with the reason).
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
    private final ReceiptStore store;

    ReceiptDrafts(
            FiscalProperties properties,
            Invoicing invoicing,
            Payments payments,
            Customers customers,
            Catalog catalog,
            Pricing pricing,
            BusinessCalendar calendar,
            ReceiptStore store) {
        this.properties = properties;
        this.invoicing = invoicing;
        this.payments = payments;
        this.customers = customers;
        this.catalog = catalog;
        this.pricing = pricing;
        this.calendar = calendar;
        this.store = store;
    }

    /** The receipt an outbox event needs, if any. */
    Optional<NewReceipt> forEvent(OutboxEvent event) {
        return switch (event.type()) {
            case "payment.succeeded" -> Optional.of(invoicePayment(Outbox.payload(event, PaymentSucceeded.class)));
            case "balance.topped_up" -> Optional.of(topUp(Outbox.payload(event, BalanceToppedUp.class)));
            case "refund.succeeded" -> Optional.of(refund(Outbox.payload(event, RefundSucceeded.class)));
            case "balance.refunded" -> {
                // Card money kept on the balance, gone back to the card: the advance it was, refunded.
                BalanceRefunded r = Outbox.payload(event, BalanceRefunded.class);
                yield Optional.of(refund(r.refundId(), payments.get(r.paymentId()), null, r.amount()));
            }
            default -> Optional.empty();
        };
    }

    /**
     * An invoice payment, whose payment method (tag 1214) follows from when the invoice is handed over
     * ({@link Handover}) and what was paid before; VAT is at the rate in force on the day of the settlement the
     * receipt records. Money from the prepaid balance is the offset of the advance received earlier (payment type 2),
     * so it is never declared as received twice. The rule is written out in docs/receipts.md.
     */
    private NewReceipt invoicePayment(PaymentSucceeded p) {
        Invoice invoice = invoicing.get(p.invoiceId());
        Customer customer = customers.get(p.customerId());
        List<Payment> ofInvoice = payments.ofInvoice(invoice.id());
        Payment payment = ofInvoice.stream()
                .filter(x -> x.id() == p.paymentId())
                .findFirst()
                .orElseThrow(() ->
                        new IllegalStateException("invoice " + invoice.id() + " has no payment " + p.paymentId()));
        List<Payment> earlier =
                ofInvoice.stream().filter(x -> x.id() < payment.id()).toList();
        long before = earlier.stream()
                .mapToLong(x -> x.amount().minor() - x.refunded().minor())
                .sum();
        long amount = p.amount();
        long total = invoice.total().minor();
        boolean fromBalance = payment.method() == Payment.Method.BALANCE;
        Settlement now = Settlement.of(payment, amount);
        LocalDate today = day(payment.createdAt());
        List<String> problems = new ArrayList<>();
        Draft draft =
                new Draft("payment:" + payment.id() + ":sell", ReceiptKind.SELL, invoice, customer, payment, null);
        if (businessBankTransfer(payment, customer)) {
            return exempt(draft, BUSINESS_BANK_TRANSFER);
        }
        boolean completes = before + amount >= total;
        if (completes && before + amount > total) {
            problems.add("payments of " + ReceiptValidation.kopecks(before + amount) + " exceed the invoice's "
                    + ReceiptValidation.kopecks(total));
        }
        return switch (handover(invoice)) {
            case AT_FULL_PAYMENT -> {
                if (completes) {
                    // The handover: the whole invoice, settled by this payment and the prepayments before it.
                    yield receipt(
                            draft,
                            lines(invoice, PaymentMethod.FULL_PAYMENT, today, problems),
                            new Settlement(now.paid(), now.offset() + before, 0),
                            today,
                            problems);
                }
                if (fromBalance) {
                    yield exempt(
                            draft,
                            "an offset of the advance before the goods are handed over: the advance's receipt declared"
                                    + " the money, the handover's receipt will offset it");
                }
                yield receipt(
                        draft,
                        shares(invoice, amount, PaymentMethod.PREPAYMENT, null, true, today, problems),
                        now,
                        today,
                        problems);
            }
            case AT_FIRST_PAYMENT -> {
                if (earlier.isEmpty()) {
                    // The handover: the whole invoice, this payment and the rest on credit.
                    yield receipt(
                            draft,
                            lines(
                                    invoice,
                                    completes ? PaymentMethod.FULL_PAYMENT : PaymentMethod.PARTIAL_PAYMENT,
                                    today,
                                    problems),
                            new Settlement(now.paid(), now.offset(), Math.max(0, total - amount)),
                            today,
                            problems);
                }
                // A payment of the credit: VAT as on the day of the handover, when the tax base arose.
                LocalDate handedOver = day(earlier.getFirst().createdAt());
                yield receipt(
                        draft,
                        shares(
                                invoice,
                                amount,
                                PaymentMethod.CREDIT_PAYMENT,
                                PaymentObjects.PAYMENT,
                                false,
                                handedOver,
                                problems),
                        now,
                        handedOver,
                        problems);
            }
        };
    }

    /**
     * A top-up of the prepaid balance: an {@code advance} (the goods are not known yet), payment object 10, VAT at the
     * calculated rate ("22/122") in force on the day the money came.
     */
    private NewReceipt topUp(BalanceToppedUp p) {
        Payment payment = payments.get(p.paymentId());
        Customer customer = customers.get(p.customerId());
        LocalDate day = day(payment.createdAt());
        long amount = p.amount();
        List<String> problems = new ArrayList<>();
        VatRate rate = pricing.vatRate(properties.advanceVat(), day);
        VatType vat = vatType(rate.code(), rate.rateBp(), true, problems);
        List<Item> items = vat == null
                ? List.of()
                : List.of(Item.priced(
                        properties.advanceItemName(),
                        amount,
                        BigDecimal.ONE,
                        ReceiptDocument.MEASURE_PIECE,
                        PaymentMethod.ADVANCE,
                        PaymentObjects.PAYMENT,
                        vat));
        Draft draft = new Draft("payment:" + payment.id() + ":sell", ReceiptKind.SELL, null, customer, payment, null);
        if (businessBankTransfer(payment, customer)) {
            return exempt(draft, BUSINESS_BANK_TRANSFER);
        }
        return receipt(draft, items, Settlement.paid(amount), day, problems);
    }

    /**
     * A refund: a {@code sell_refund} that reverses the refunded share of the payment's own receipt, item by item with
     * the same payment method, payment object and VAT (the rate of the settlement refunded), back the way the payment
     * came. A payment that needed no receipt needs none for its refund.
     */
    private NewReceipt refund(RefundSucceeded p) {
        Invoice invoice = invoicing.get(p.invoiceId());
        return refund(p.refundId(), payments.get(p.paymentId()), invoice, p.amount());
    }

    private NewReceipt refund(long refundId, Payment payment, Invoice invoice, long amount) {
        Customer customer = customers.get(payment.customerId());
        List<String> problems = new ArrayList<>();
        Draft draft = new Draft(
                "refund:" + refundId + ":sell_refund", ReceiptKind.SELL_REFUND, invoice, customer, payment, refundId);
        Settlement back = Settlement.of(payment, amount);
        Optional<Receipt> original = store.byEventKey("payment:" + payment.id() + ":sell");
        if (original.isEmpty()) {
            problems.add("payment " + payment.id() + " has no receipt to refund");
            return receipt(draft, List.of(), back, day(payment.createdAt()), problems);
        }
        ReceiptDocument paid = original.get().document();
        if (original.get().state() == ReceiptState.EXEMPT) {
            return exempt(
                    draft,
                    "refunds payment " + payment.id() + ", which needed no receipt: "
                            + original.get().exemption());
        }
        return receipt(draft, reversed(paid.items(), amount), back, paid.vatDate(), problems);
    }

    /** The share {@code amount} of the items (largest remainder), each as one unit at its share, as they were. */
    private static List<Item> reversed(List<Item> items, long amount) {
        long[] shares = proportional(amount, items.stream().mapToLong(Item::sum).toArray());
        long whole = items.stream().mapToLong(Item::sum).sum();
        List<Item> reversed = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            if (amount == whole) {
                reversed.add(item);
            } else if (shares[i] > 0) {
                reversed.add(new Item(
                        item.name(),
                        shares[i],
                        BigDecimal.ONE,
                        item.measure(),
                        shares[i],
                        item.paymentMethod(),
                        item.paymentObject(),
                        item.vat(),
                        item.vat().includedIn(shares[i])));
            }
        }
        return reversed;
    }

    /** The fiscal event a receipt is drafted for; {@code invoice} is null for a top-up. */
    private record Draft(
            String key, ReceiptKind kind, Invoice invoice, Customer customer, Payment payment, Long refundId) {}

    private NewReceipt receipt(
            Draft d, List<Item> items, Settlement settlement, LocalDate vatDate, List<String> problems) {
        ReceiptDocument document = new ReceiptDocument(
                d.kind(),
                properties.company(),
                client(d.customer()),
                items,
                settlement.payments(),
                items.stream().mapToLong(Item::sum).sum(),
                d.payment().amount().currency().getCurrencyCode(),
                vatDate,
                null,
                internet(d.invoice()));
        return new NewReceipt(
                d.key(),
                document,
                d.invoice() == null ? null : d.invoice().id(),
                d.payment().id(),
                d.refundId(),
                d.customer().id(),
                settlement,
                join(problems),
                null);
    }

    /** A row that says why the event needs no receipt; its document declares nothing and is never sent. */
    private NewReceipt exempt(Draft d, String why) {
        ReceiptDocument nothing = new ReceiptDocument(
                d.kind(),
                properties.company(),
                client(d.customer()),
                List.of(),
                List.of(),
                0,
                d.payment().amount().currency().getCurrencyCode(),
                null,
                null,
                internet(d.invoice()));
        return new NewReceipt(
                d.key(),
                nothing,
                d.invoice() == null ? null : d.invoice().id(),
                d.payment().id(),
                d.refundId(),
                d.customer().id(),
                null,
                null,
                why);
    }

    /** Whether the settlement is made over the internet (tag 1125): the invoice's merchant's setting. */
    boolean internet(Invoice invoice) {
        if (invoice == null) {
            return properties.internet(null);
        }
        return properties.internet(
                catalog.merchant(invoice.merchantId()).map(Merchant::code).orElse(null));
    }

    private static final String BUSINESS_BANK_TRANSFER =
            "a bank transfer by an organisation or sole proprietor needs no receipt (54-FZ art. 2 p. 9)";

    /**
     * A business's bank transfer, or its spending of the balance its bank transfers made (a business's balance is
     * topped up by transfer; a card top-up of a business's balance is the rare case this rule does not tell apart).
     */
    private boolean businessBankTransfer(Payment payment, Customer customer) {
        return (payment.method() == Payment.Method.BANK_TRANSFER || payment.method() == Payment.Method.BALANCE)
                && customer.type() != CustomerType.INDIVIDUAL
                && !properties.businessBankTransferReceipts();
    }

    /**
     * When the invoice is handed over: its lines' categories' setting; an invoice whose lines differ is handed over
     * at full payment, the later of the two, since one receipt declares one handover.
     */
    private Handover handover(Invoice invoice) {
        return invoice.lines().stream()
                        .allMatch(l -> properties.category(l.category()).handover() == Handover.AT_FIRST_PAYMENT)
                ? Handover.AT_FIRST_PAYMENT
                : Handover.AT_FULL_PAYMENT;
    }

    private LocalDate day(java.time.Instant at) {
        return LocalDate.ofInstant(at, calendar.zone());
    }

    /** The invoice's lines as they are, at the VAT rate of their code in force on {@code day}. */
    private List<Item> lines(Invoice invoice, PaymentMethod method, LocalDate day, List<String> problems) {
        List<Item> items = new ArrayList<>();
        for (InvoiceLine line : invoice.lines()) {
            VatType vat = vatOn(line, day, false, problems);
            if (vat != null) {
                items.add(new Item(
                        name(line.name()),
                        line.unitPrice().minor(),
                        line.quantity(),
                        measure(line),
                        line.amount().minor(),
                        method,
                        properties.category(line.category()).paymentObject(),
                        vat,
                        vat.includedIn(line.amount().minor())));
            }
        }
        return items;
    }

    /**
     * Each line's share of {@code amount} (largest remainder, so the shares add up to it exactly) as one unit at that
     * price; {@code paymentObject} null keeps the category's.
     */
    private List<Item> shares(
            Invoice invoice,
            long amount,
            PaymentMethod method,
            Integer paymentObject,
            boolean calculatedVat,
            LocalDate day,
            List<String> problems) {
        List<InvoiceLine> lines = invoice.lines();
        long[] shares = proportional(
                amount, lines.stream().mapToLong(l -> l.amount().minor()).toArray());
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            InvoiceLine line = lines.get(i);
            VatType vat = shares[i] == 0 ? null : vatOn(line, day, calculatedVat, problems);
            if (vat != null) {
                items.add(new Item(
                        name(line.name()),
                        shares[i],
                        BigDecimal.ONE,
                        measure(line),
                        shares[i],
                        method,
                        paymentObject == null
                                ? properties.category(line.category()).paymentObject()
                                : paymentObject,
                        vat,
                        vat.includedIn(shares[i])));
            }
        }
        return items;
    }

    /** The VAT type of the line's VAT code at the rate in force on {@code day}, not on the invoice's date. */
    private VatType vatOn(InvoiceLine line, LocalDate day, boolean calculated, List<String> problems) {
        if ("none".equals(line.vatCode())) {
            return VatType.NONE;
        }
        VatRate rate = pricing.vatRate(line.vatCode(), day);
        return vatType(rate.code(), rate.rateBp(), calculated, problems);
    }

    private int measure(InvoiceLine line) {
        return catalog.product(line.productId())
                .map(Product::measure)
                .map(ReceiptDrafts::measure)
                .orElse(255);
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

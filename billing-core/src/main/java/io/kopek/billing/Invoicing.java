package io.kopek.billing;

import io.kopek.calendar.BusinessCalendar;
import io.kopek.catalog.Catalog;
import io.kopek.catalog.Merchant;
import io.kopek.catalog.Product;
import io.kopek.customer.Customer;
import io.kopek.customer.Customers;
import io.kopek.digest.Digests;
import io.kopek.errors.KopekException;
import io.kopek.ledger.Entry;
import io.kopek.ledger.Ledger;
import io.kopek.ledger.LedgerTransaction;
import io.kopek.money.Money;
import io.kopek.outbox.Outbox;
import io.kopek.pricing.BillingRule;
import io.kopek.pricing.Pricing;
import io.kopek.pricing.VatRate;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Orders become invoices at once; invoices are listed, cancelled and marked overdue here. */
@Service
public class Invoicing {

    static final int DEFAULT_PAYMENT_DAYS = 14;
    /** A line and an invoice are at most {@link Bounds#MAX_AMOUNT}, so sums of invoices cannot overflow either. */
    static final BigDecimal MAX_AMOUNT = BigDecimal.valueOf(Bounds.MAX_AMOUNT);

    private final JdbcClient jdbc;
    private final InvoiceStore invoices;
    private final Customers customers;
    private final Catalog catalog;
    private final Pricing pricing;
    private final Ledger ledger;
    private final Accounts accounts;
    private final Outbox outbox;
    private final BusinessCalendar calendar;
    private final ObjectProvider<InvoiceCancellationGuard> cancellationGuards;

    Invoicing(
            JdbcClient jdbc,
            InvoiceStore invoices,
            Customers customers,
            Catalog catalog,
            Pricing pricing,
            Ledger ledger,
            Accounts accounts,
            Outbox outbox,
            BusinessCalendar calendar,
            ObjectProvider<InvoiceCancellationGuard> cancellationGuards) {
        this.jdbc = jdbc;
        this.invoices = invoices;
        this.customers = customers;
        this.catalog = catalog;
        this.pricing = pricing;
        this.ledger = ledger;
        this.accounts = accounts;
        this.outbox = outbox;
        this.calendar = calendar;
        this.cancellationGuards = cancellationGuards;
    }

    /**
     * Prices the order with the rules and VAT rates in force today and issues the invoice, with the next
     * number of the merchant's year and the revenue, VAT and receivable in the ledger.
     */
    @Transactional
    public Invoice place(PlaceOrder order) {
        Customer customer = customers.get(order.customerId());
        if (order.items() == null || order.items().isEmpty()) {
            throw KopekException.invalid("empty-order", "an order needs at least one item");
        }
        LocalDate today = calendar.today();
        LocalDate due = dueDate(order, today);
        PricedOrder pricedOrder = price(order, customer, today);
        List<PricedLine> priced = pricedOrder.lines();
        long merchantId = pricedOrder.merchantId();
        Currency currency = pricedOrder.currency();
        Merchant merchant = catalog.merchant(merchantId).orElseThrow();
        if (order.orderRef() != null) {
            findByOrderRef(merchantId, order).ifPresent(existing -> {
                throw orderAlreadyInvoiced(order, existing);
            });
        }
        long total = total(priced);
        long vatTotal = priced.stream().mapToLong(PricedLine::vatAmount).sum();
        String number = nextNumber(merchant, today.getYear());
        long id = insertInvoice(order, customer, merchantId, currency, number, today, due, total, vatTotal);
        insertLines(id, priced);
        postIssuance(id, number, customer.id(), currency, priced, false);
        outbox.publish(new BillingEvents.InvoiceIssued(
                id, number, customer.id(), total, vatTotal, currency.getCurrencyCode()));
        return invoices.find(id).orElseThrow();
    }

    private static LocalDate dueDate(PlaceOrder order, LocalDate today) {
        LocalDate due = order.dueDate() == null ? today.plusDays(DEFAULT_PAYMENT_DAYS) : order.dueDate();
        if (due.isBefore(today)) {
            throw KopekException.invalid(
                    "invalid-due-date", "the due date " + due + " is before the invoice date " + today);
        }
        return due;
    }

    /** An order's lines priced by today's rules and VAT rates: all of one merchant and one currency. */
    private record PricedOrder(long merchantId, Currency currency, List<PricedLine> lines) {}

    private PricedOrder price(PlaceOrder order, Customer customer, LocalDate today) {
        List<PricedLine> priced = new ArrayList<>();
        Long merchantId = null;
        Currency currency = null;
        for (PlaceOrder.Item item : order.items()) {
            Product product = catalog.product(item.productId())
                    .orElseThrow(() -> KopekException.invalid(
                            "unknown-product", "product " + item.productId() + " does not exist"));
            if (merchantId != null && merchantId != product.merchantId()) {
                throw KopekException.invalid("mixed-merchants", "all products of an order must belong to one merchant");
            }
            if (currency != null && !currency.equals(product.unitPrice().currency())) {
                throw KopekException.invalid("mixed-currencies", "all products of an order must have one currency");
            }
            merchantId = product.merchantId();
            currency = product.unitPrice().currency();
            priced.add(priceLine(product, item.quantity(), customer, today));
        }
        return new PricedOrder(merchantId, currency, priced);
    }

    private PricedLine priceLine(Product product, BigDecimal quantity, Customer customer, LocalDate today) {
        if (quantity == null
                || quantity.signum() <= 0
                || quantity.compareTo(Bounds.MAX_QUANTITY) > 0
                || quantity.stripTrailingZeros().scale() > Bounds.QUANTITY_DECIMALS) {
            throw KopekException.invalid(
                    "invalid-quantity",
                    "quantity must be positive, at most " + Bounds.MAX_QUANTITY_TEXT + ", with at most "
                            + Bounds.QUANTITY_DECIMALS + " decimals, got " + quantity);
        }
        BillingRule rule = pricing.ruleFor(product.category(), customer.type().code(), today);
        VatRate vat = pricing.vatRate(rule.vatCode(), today);
        long unit = adjust(product.unitPrice().minor(), rule.priceAdjustmentBp());
        BigDecimal exact = BigDecimal.valueOf(unit).multiply(quantity).setScale(0, RoundingMode.HALF_UP);
        if (exact.compareTo(MAX_AMOUNT) > 0) {
            throw KopekException.invalid(
                    "amount-too-large",
                    "a line of " + exact + " minor units is beyond what Kopek books (" + Bounds.MAX_AMOUNT + ")");
        }
        long amount = exact.longValueExact();
        return new PricedLine(product, quantity, unit, amount, vat, vat.includedIn(amount), rule);
    }

    private static long total(List<PricedLine> priced) {
        BigDecimal exactTotal =
                priced.stream().map(l -> BigDecimal.valueOf(l.amount())).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (exactTotal.compareTo(MAX_AMOUNT) > 0) {
            throw KopekException.invalid(
                    "amount-too-large",
                    "an invoice of " + exactTotal + " minor units is beyond what Kopek books (" + Bounds.MAX_AMOUNT
                            + ")");
        }
        return exactTotal.longValueExact();
    }

    private long insertInvoice(
            PlaceOrder order,
            Customer customer,
            long merchantId,
            Currency currency,
            String number,
            LocalDate today,
            LocalDate due,
            long total,
            long vatTotal) {
        try {
            return jdbc.sql(
                            "insert into invoice (merchant_id, customer_id, number, order_ref, order_ref_scope, currency,"
                                    + " status, issue_date, due_date, total, vat_total)"
                                    + " values (?, ?, ?, ?, ?, ?, 'issued', ?, ?, ?, ?) returning id")
                    .params(
                            merchantId,
                            customer.id(),
                            number,
                            order.orderRef(),
                            order.orderRef() == null ? null : order.refScope().code(),
                            currency.getCurrencyCode(),
                            Date.valueOf(today),
                            Date.valueOf(due),
                            total,
                            vatTotal)
                    .query(Long.class)
                    .single();
        } catch (DuplicateKeyException e) {
            // placed at the same moment by another request: which invoice won is not known here, so none is named
            throw KopekException.conflict(
                    "order-already-invoiced", "order " + order.orderRef() + " is already invoiced");
        }
    }

    /** The lines, numbered from 1 (the settlement's commission reads line 1's rule). */
    private void insertLines(long invoiceId, List<PricedLine> priced) {
        int lineNo = 0;
        for (PricedLine line : priced) {
            jdbc.sql("insert into invoice_line (invoice_id, line_no, product_id, name, category, quantity, list_price,"
                            + " unit_price, amount, vat_code, vat_rate_bp, vat_amount, rule_id)"
                            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(
                            invoiceId,
                            ++lineNo,
                            line.product().id(),
                            line.product().name(),
                            line.product().category(),
                            line.quantity(),
                            line.product().unitPrice().minor(),
                            line.unitPrice(),
                            line.amount(),
                            line.vat().code(),
                            line.vat().rateBp(),
                            line.vatAmount(),
                            line.rule().id())
                    .update();
        }
    }

    /** Receivable against revenue per category and VAT payable; reversed exactly when the invoice is cancelled. */
    private void postIssuance(
            long invoiceId,
            String number,
            long customerId,
            Currency currency,
            List<PricedLine> lines,
            boolean reverse) {
        long total = lines.stream().mapToLong(PricedLine::amount).sum();
        if (total == 0) {
            return;
        }
        Map<String, Long> revenue = new LinkedHashMap<>();
        long vat = 0;
        for (PricedLine line : lines) {
            revenue.merge(line.product().category(), line.amount() - line.vatAmount(), Long::sum);
            vat += line.vatAmount();
        }
        List<Entry> entries = new ArrayList<>();
        String receivable = accounts.receivable(customerId, currency);
        entries.add(
                reverse
                        ? Entry.credit(receivable, new Money(total, currency))
                        : Entry.debit(receivable, new Money(total, currency)));
        for (var r : revenue.entrySet()) {
            if (r.getValue() > 0) {
                String account = accounts.revenue(r.getKey(), currency);
                Money amount = new Money(r.getValue(), currency);
                entries.add(reverse ? Entry.debit(account, amount) : Entry.credit(account, amount));
            }
        }
        if (vat > 0) {
            String account = accounts.vatPayable(currency);
            Money amount = new Money(vat, currency);
            entries.add(reverse ? Entry.debit(account, amount) : Entry.credit(account, amount));
        }
        String kind = reverse ? "invoice_cancelled" : "invoice_issued";
        ledger.post(new LedgerTransaction(transactionId(kind, invoiceId), kind, number, entries));
    }

    /**
     * The ledger transaction of {@code kind} for object {@code id}: the name-based (version 3, MD5) UUID of
     * {@code kind:id}, as {@link UUID#nameUUIDFromBytes} makes it, so that a repeat posts the same transaction. Made
     * here from a cloned digest ({@link Digests}): {@code nameUUIDFromBytes} looks the algorithm up, checking the
     * security constraints, on every call, ~3 % of the API's group commit's CPU (JFR). InvoicingIdsTest holds the two
     * equal.
     */
    static UUID transactionId(String kind, long id) {
        byte[] md5 = MD5.fresh().digest((kind + ":" + id).getBytes(StandardCharsets.UTF_8));
        md5[6] = (byte) ((md5[6] & 0x0f) | 0x30); // version 3
        md5[8] = (byte) ((md5[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer bits = ByteBuffer.wrap(md5);
        return new UUID(bits.getLong(), bits.getLong());
    }

    private static final Digests MD5 = Digests.of("MD5");

    /** Gap-free: the counter row is locked until the invoice's transaction ends, and rolls back with it. */
    private String nextNumber(Merchant merchant, int year) {
        int next = jdbc.sql("insert into invoice_counter (merchant_id, year, last_number) values (?, ?, 1)"
                        + " on conflict (merchant_id, year) do update set last_number = invoice_counter.last_number + 1"
                        + " returning last_number")
                .params(merchant.id(), year)
                .query(Integer.class)
                .single();
        return "%s-%d-%06d".formatted(merchant.code(), year, next);
    }

    /** An earlier invoice whose reference the order repeats: the customer's own, or one of the merchant's. */
    private Optional<OrderRefHolder> findByOrderRef(long merchantId, PlaceOrder order) {
        return jdbc.sql("select number, customer_id from invoice where merchant_id = ? and order_ref = ?"
                        + " and (customer_id = ? or (order_ref_scope = 'merchant' and ?))"
                        + " order by (customer_id = ?) desc limit 1")
                .params(
                        merchantId,
                        order.orderRef(),
                        order.customerId(),
                        order.refScope() == PlaceOrder.RefScope.MERCHANT,
                        order.customerId())
                .query((rs, n) -> new OrderRefHolder(rs.getString("number"), rs.getLong("customer_id")))
                .optional();
    }

    private record OrderRefHolder(String number, long customerId) {}

    /**
     * A repeated reference: the earlier invoice is named only when it is the same customer's, so the answer never
     * tells one customer's invoice to a caller acting for another.
     */
    private static KopekException orderAlreadyInvoiced(PlaceOrder order, OrderRefHolder existing) {
        if (existing.customerId() == order.customerId()) {
            return KopekException.conflict(
                    "order-already-invoiced", "order " + order.orderRef() + " is already invoice " + existing.number());
        }
        return KopekException.conflict(
                "order-already-invoiced",
                "order " + order.orderRef() + " is already invoiced, for another customer of the merchant");
    }

    /** List price changed by the rule's adjustment in basis points, half up to the minor unit. */
    static long adjust(long listPrice, int adjustmentBp) {
        return BigDecimal.valueOf(listPrice)
                .multiply(BigDecimal.valueOf(10_000L + adjustmentBp))
                .divide(BigDecimal.valueOf(10_000L), 0, RoundingMode.HALF_UP)
                .longValueExact();
    }

    @Transactional(readOnly = true)
    public Optional<Invoice> find(long id) {
        return invoices.find(id);
    }

    public Invoice get(long id) {
        return find(id).orElseThrow(() -> KopekException.notFound("invoice", id));
    }

    /**
     * The amounts of many invoices in one read, by id; an id without an invoice is left out. For readers that need
     * an invoice's money but not its lines, a page of invoices at a time.
     */
    @Transactional(readOnly = true)
    public Map<Long, InvoiceAmounts> amounts(Collection<Long> ids) {
        return invoices.amounts(ids);
    }

    @Transactional(readOnly = true)
    public List<Invoice> list(InvoiceFilter filter) {
        return invoices.list(filter);
    }

    /**
     * Only an invoice nothing was paid or held on, and that no guard holds back (card payments under way), can be
     * cancelled; its ledger postings are reversed.
     */
    @Transactional
    public Invoice cancel(long id) {
        Invoice invoice = invoices.lock(id);
        if (!invoice.status().canBecome(InvoiceStatus.CANCELLED)) {
            throw KopekException.conflict(
                    "invalid-invoice-transition",
                    "an invoice that is " + invoice.status().code() + " cannot be cancelled");
        }
        if (invoice.paid().isPositive() || invoice.held().isPositive()) {
            throw KopekException.conflict(
                    "invoice-has-payments",
                    "invoice " + invoice.number() + " has payments or holds; refund or release them first");
        }
        cancellationGuards.orderedStream().forEach(guard -> guard.beforeCancel(invoice));
        List<PricedLine> lines = invoice.lines().stream()
                .map(l -> new PricedLine(
                        new Product(
                                l.productId(), invoice.merchantId(), null, l.name(), l.category(), l.listPrice(), null),
                        l.quantity(),
                        l.unitPrice().minor(),
                        l.amount().minor(),
                        new VatRate(l.vatCode(), l.vatRateBp()),
                        l.vat().minor(),
                        null))
                .toList();
        postIssuance(id, invoice.number(), invoice.customerId(), invoice.total().currency(), lines, true);
        invoices.setStatus(id, invoice.status(), InvoiceStatus.CANCELLED);
        outbox.publish(new BillingEvents.InvoiceCanceled(id, invoice.number()));
        return invoices.find(id).orElseThrow();
    }

    /** Marks unpaid invoices past their due date as overdue; returns how many. */
    @Transactional
    public int markOverdue() {
        List<Map<String, Object>> marked = jdbc.sql("update invoice set status = 'overdue', updated_at = now()"
                        + " where status in ('issued', 'partially_paid') and due_date < ? returning id, number")
                .param(Date.valueOf(calendar.today()))
                .query()
                .listOfRows();
        for (Map<String, Object> row : marked) {
            outbox.publish(
                    new BillingEvents.InvoiceOverdue(((Number) row.get("id")).longValue(), (String) row.get("number")));
        }
        return marked.size();
    }

    private record PricedLine(
            Product product,
            BigDecimal quantity,
            long unitPrice,
            long amount,
            VatRate vat,
            long vatAmount,
            BillingRule rule) {}
}

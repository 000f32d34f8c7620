package io.kopek.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.CoreTestApplication;
import io.kopek.catalog.Catalog;
import io.kopek.catalog.NewProduct;
import io.kopek.catalog.Product;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.NewCustomer;
import io.kopek.errors.KopekException;
import io.kopek.ledger.InsufficientFundsException;
import io.kopek.money.Money;
import io.kopek.pricing.NewBillingRule;
import io.kopek.pricing.Pricing;
import io.kopek.testing.MutableClock;
import io.kopek.testing.TestClockConfiguration;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Random sequences of orders, top-ups, payments, holds, captures, releases, expiries, refunds and cancellations,
 * and of card payments, card holds and card refunds as the providers' callbacks report them (some delivered twice);
 * after every step the ledger must balance per currency, every account's totals must equal its entries and
 * pending transfers, and no balance may be below zero beyond the credit its rules allow.
 */
class BillingInvariantsProperties {

    private static final long CREDIT_LIMIT = 5_000;
    private static ConfigurableApplicationContext context;
    private static long[] products;

    sealed interface Step {}

    record Order(int customer, int product, int quantity) implements Step {}

    record TopUp(int customer, long amount) implements Step {}

    record PayFromBalance(int invoice, int percent) implements Step {}

    record PayByBank(int invoice, int percent) implements Step {}

    record PlaceHold(int invoice, int percent, int lifetimeSeconds) implements Step {}

    record Capture(int hold, int percent) implements Step {}

    record Release(int hold) implements Step {}

    record TimePasses(int seconds) implements Step {}

    record RefundPart(int invoice, int percent) implements Step {}

    record Cancel(int invoice) implements Step {}

    /**
     * A card payment the provider reports for an invoice (more than is left becomes an advance on the balance);
     * {@code again} delivers the same provider payment twice, as a repeated callback does.
     */
    record CardCharge(int invoice, int percent, boolean again) implements Step {}

    /** An authorisation on the payer's card, as a provider's callback reports it (maybe twice). */
    record CardHold(int invoice, int percent, boolean again) implements Step {}

    /** Part of a card payment refunded through its provider and recorded in billing. */
    record CardRefundPart(int invoice, int percent) implements Step {}

    private static final java.util.concurrent.atomic.AtomicLong providerPayments =
            new java.util.concurrent.atomic.AtomicLong();

    @BeforeContainer
    static void start() {
        context = new SpringApplicationBuilder(CoreTestApplication.class, TestClockConfiguration.class)
                .web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "logging.level.root=warn")
                .run();
        Catalog catalog = context.getBean(Catalog.class);
        Pricing pricing = context.getBean(Pricing.class);
        String run = UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        long merchant =
                catalog.createMerchant("P" + run, "Property LLC", "7700000009").id();
        String[][] categories = {
            {"prop-a-" + run, "standard", "false"},
            {"prop-b-" + run, "reduced", "false"},
            {"prop-c-" + run, "usn5", "true"}
        };
        products = new long[categories.length];
        for (int i = 0; i < categories.length; i++) {
            pricing.create(new NewBillingRule(
                    categories[i][0],
                    "*",
                    LocalDate.of(2025, 1, 1),
                    null,
                    -500 * i,
                    0,
                    0,
                    categories[i][1],
                    Boolean.parseBoolean(categories[i][2]),
                    600,
                    List.of("balance", "bank_transfer", "card"),
                    List.of("acme"),
                    i == 1 ? CREDIT_LIMIT : 0));
            Product p = catalog.createProduct(new NewProduct(
                    merchant, "SKU" + i, "Product " + i, categories[i][0], Money.rub(9_99 + 1_234L * i), "piece"));
            products[i] = p.id();
        }
    }

    @AfterContainer
    static void stop() {
        context.close();
    }

    @Provide
    Arbitrary<List<Step>> sequences() {
        Arbitrary<Integer> idx = Arbitraries.integers().between(0, 5);
        Arbitrary<Integer> percent = Arbitraries.integers().between(1, 110);
        Arbitrary<Integer> customer = Arbitraries.integers().between(0, 2);
        // Weighted so that holds are placed and then captured, released or left to expire often enough.
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(
                        4,
                        Combinators.combine(
                                        customer,
                                        customer,
                                        Arbitraries.integers().between(1, 5))
                                .as(Order::new)),
                net.jqwik.api.Tuple.of(
                        4,
                        Combinators.combine(customer, Arbitraries.longs().between(1, 500_000))
                                .as(TopUp::new)),
                net.jqwik.api.Tuple.of(3, Combinators.combine(idx, percent).as(PayFromBalance::new)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(idx, percent).as(PayByBank::new)),
                net.jqwik.api.Tuple.of(
                        5,
                        Combinators.combine(idx, percent, Arbitraries.integers().between(1, 600))
                                .as(PlaceHold::new)),
                net.jqwik.api.Tuple.of(5, Combinators.combine(idx, percent).as(Capture::new)),
                net.jqwik.api.Tuple.of(2, idx.map(Release::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1, 240).map(TimePasses::new)),
                net.jqwik.api.Tuple.of(3, Combinators.combine(idx, percent).as(RefundPart::new)),
                net.jqwik.api.Tuple.of(1, idx.map(Cancel::new)),
                net.jqwik.api.Tuple.of(
                        3,
                        Combinators.combine(idx, percent, Arbitraries.of(false, true))
                                .as(CardCharge::new)),
                net.jqwik.api.Tuple.of(
                        3,
                        Combinators.combine(idx, percent, Arbitraries.of(false, true))
                                .as(CardHold::new)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(idx, percent).as(CardRefundPart::new)));
        return step.list().ofMinSize(5).ofMaxSize(30);
    }

    @Property(tries = 60)
    void ledgerStaysBalancedWhateverHappens(@ForAll("sequences") List<Step> steps) {
        Customers customers = context.getBean(Customers.class);
        long[] customerIds = new long[3];
        for (int i = 0; i < customerIds.length; i++) {
            customerIds[i] = customers
                    .create(new NewCustomer(CustomerType.COMPANY, "C" + i, null, null, "7700000001"))
                    .id();
        }
        List<Long> invoices = new ArrayList<>();
        List<Long> holds = new ArrayList<>();
        for (Step step : steps) {
            String outcome = hasTarget(step, invoices, holds) ? "done" : "nothing to act on";
            try {
                apply(step, customerIds, invoices, holds);
            } catch (KopekException | InsufficientFundsException refused) {
                // A refusal is a legitimate outcome; the invariants must hold either way.
                outcome = "refused";
            }
            Statistics.label("steps").collect(step.getClass().getSimpleName(), outcome);
            assertInvariants(step);
        }
    }

    private void apply(Step step, long[] customers, List<Long> invoices, List<Long> holds) {
        Invoicing invoicing = context.getBean(Invoicing.class);
        Payments payments = context.getBean(Payments.class);
        Holds holdService = context.getBean(Holds.class);
        switch (step) {
            case Order o ->
                invoices.add(invoicing
                        .place(new PlaceOrder(
                                customers[o.customer()],
                                null,
                                null,
                                List.of(new PlaceOrder.Item(products[o.product()], BigDecimal.valueOf(o.quantity())))))
                        .id());
            case TopUp t -> payments.topUp(customers[t.customer()], Money.rub(t.amount()), "PP-" + t.amount());
            case PayFromBalance p ->
                pick(invoices, p.invoice())
                        .ifPresent(id -> payments.payFromBalance(
                                id, share(invoicing.get(id).outstanding(), p.percent())));
            case PayByBank p ->
                pick(invoices, p.invoice())
                        .ifPresent(id -> payments.recordBankTransfer(
                                id, share(invoicing.get(id).outstanding(), p.percent()), "PP"));
            case PlaceHold h ->
                pick(invoices, h.invoice())
                        .ifPresent(id -> holds.add(holdService
                                .place(
                                        id,
                                        share(invoicing.get(id).outstanding(), h.percent()),
                                        Duration.ofSeconds(h.lifetimeSeconds()))
                                .id()));
            case Capture c ->
                pick(holds, c.hold())
                        .ifPresent(id -> holdService.capture(
                                id, share(holdService.get(id).amount(), c.percent())));
            case Release r -> pick(holds, r.hold()).ifPresent(holdService::release);
            case TimePasses t -> {
                context.getBean(MutableClock.class).advance(Duration.ofSeconds(t.seconds()));
                holdService.expireDue();
            }
            case RefundPart r ->
                pick(invoices, r.invoice()).ifPresent(id -> {
                    Invoice invoice = invoicing.get(id);
                    payments.ofInvoice(id).stream()
                            .filter(p -> p.refunded().compareTo(p.amount()) < 0)
                            .findFirst()
                            .ifPresent(p -> payments.refund(
                                    id, p.id(), share(p.amount().minus(p.refunded()), r.percent()), "test"));
                    assertThat(invoice).isNotNull();
                });
            case Cancel c -> pick(invoices, c.invoice()).ifPresent(invoicing::cancel);
            case CardCharge c ->
                pick(invoices, c.invoice()).ifPresent(id -> {
                    Money amount = share(invoicing.get(id).outstanding(), c.percent());
                    String providerPayment = "acme-pay-" + providerPayments.incrementAndGet();
                    Payment first = payments.recordCardPayment(id, amount, "acme", providerPayment);
                    if (c.again()) {
                        assertThat(payments.recordCardPayment(id, amount, "acme", providerPayment)
                                        .id())
                                .as("a repeated callback records nothing new")
                                .isEqualTo(first.id());
                    }
                });
            case CardHold h ->
                pick(invoices, h.invoice()).ifPresent(id -> {
                    Money amount = share(invoicing.get(id).outstanding(), h.percent());
                    String providerPayment = "acme-auth-" + providerPayments.incrementAndGet();
                    holdService
                            .placeCard(id, amount, "acme", providerPayment, null)
                            .ifPresent(hold -> {
                                holds.add(hold.id());
                                if (h.again()) {
                                    assertThat(holdService
                                                    .placeCard(id, amount, "acme", providerPayment, null)
                                                    .map(Hold::id))
                                            .as("a repeated callback holds nothing more")
                                            .contains(hold.id());
                                }
                            });
                });
            case CardRefundPart r ->
                pick(invoices, r.invoice())
                        .ifPresent(id -> payments.ofInvoice(id).stream()
                                .filter(p -> p.method() == Payment.Method.CARD
                                        && p.refunded().compareTo(p.amount()) < 0)
                                .findFirst()
                                .ifPresent(p -> payments.recordCardRefund(
                                        id, p.id(), share(p.amount().minus(p.refunded()), r.percent()), "test")));
        }
    }

    private static boolean hasTarget(Step step, List<Long> invoices, List<Long> holds) {
        return switch (step) {
            case Capture c -> !holds.isEmpty();
            case Release r -> !holds.isEmpty();
            case PayFromBalance p -> !invoices.isEmpty();
            case PayByBank p -> !invoices.isEmpty();
            case PlaceHold h -> !invoices.isEmpty();
            case RefundPart r -> !invoices.isEmpty();
            case Cancel c -> !invoices.isEmpty();
            case CardCharge c -> !invoices.isEmpty();
            case CardHold h -> !invoices.isEmpty();
            case CardRefundPart r -> !invoices.isEmpty();
            default -> true;
        };
    }

    private static java.util.Optional<Long> pick(List<Long> ids, int index) {
        return ids.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(ids.get(index % ids.size()));
    }

    /** A percentage of an amount, at least one kopeck; over 100 % asks for too much on purpose. */
    private static Money share(Money of, int percent) {
        return new Money(Math.max(1, of.minor() * percent / 100), of.currency());
    }

    private void assertInvariants(Step after) {
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        List<Map<String, Object>> unbalanced = jdbc.queryForList(
                "select currency, sum(case side when 'D' then amount else -amount end)"
                        + " as difference from ledger_entry group by currency having sum(case side when 'D' then amount else -amount end) <> 0");
        assertThat(unbalanced)
                .as("ledger balanced per currency after %s", after)
                .isEmpty();

        List<Map<String, Object>> drift = jdbc.queryForList("select a.code from ledger_account a"
                + " left join (select account_id, sum(amount) filter (where side = 'D') as d,"
                + " sum(amount) filter (where side = 'C') as c from ledger_entry group by account_id) e on e.account_id = a.id"
                + " left join (select debit_account_id as id, sum(amount) as p from ledger_pending_transfer where status = 'pending'"
                + " group by debit_account_id) pd on pd.id = a.id"
                + " left join (select credit_account_id as id, sum(amount) as p from ledger_pending_transfer where status = 'pending'"
                + " group by credit_account_id) pc on pc.id = a.id"
                + " where a.debits_posted <> coalesce(e.d, 0) or a.credits_posted <> coalesce(e.c, 0)"
                + " or a.debits_pending <> coalesce(pd.p, 0) or a.credits_pending <> coalesce(pc.p, 0)");
        assertThat(drift)
                .as("account totals equal entries and pending transfers after %s", after)
                .isEmpty();

        List<Map<String, Object>> overdrawn = jdbc.queryForList(
                "select code, credits_posted - debits_posted - debits_pending as available"
                        + " from ledger_account where code like 'customer:%:balance:%'"
                        + " and credits_posted - debits_posted - debits_pending < ?",
                -CREDIT_LIMIT);
        assertThat(overdrawn).as("no balance beyond its credit after %s", after).isEmpty();

        List<Map<String, Object>> invoiceDrift = jdbc.queryForList("select i.number from invoice i"
                + " left join (select invoice_id, sum(amount) as paid, sum(refunded_amount) as refunded from payment"
                + " where invoice_id is not null group by invoice_id) p on p.invoice_id = i.id"
                + " where i.paid_amount <> coalesce(p.paid, 0) or i.refunded_amount <> coalesce(p.refunded, 0)"
                + " or i.total <> (select sum(amount) from invoice_line l where l.invoice_id = i.id)"
                + " or i.vat_total <> (select sum(vat_amount) from invoice_line l where l.invoice_id = i.id)");
        assertThat(invoiceDrift)
                .as("invoices agree with their lines and payments after %s", after)
                .isEmpty();
    }
}

package io.kopek.demo;

import io.kopek.batch.chain.Chain;
import io.kopek.batch.chain.SettlementChains;
import io.kopek.billing.Holds;
import io.kopek.billing.Invoice;
import io.kopek.billing.Invoicing;
import io.kopek.billing.Payments;
import io.kopek.billing.PlaceOrder;
import io.kopek.cardpayment.CardPayment;
import io.kopek.cardpayment.CardPayments;
import io.kopek.catalog.BankDetails;
import io.kopek.catalog.Catalog;
import io.kopek.catalog.Merchant;
import io.kopek.catalog.NewMerchant;
import io.kopek.catalog.NewProduct;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.NewCustomer;
import io.kopek.money.Money;
import io.kopek.pricing.NewBillingRule;
import io.kopek.pricing.Pricing;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The demo's merchant, catalogue, rules, customers and a few invoices, made through the same services the API
 * uses, once per database (a second start finds merchant DEMO and leaves everything as it is).
 */
@Component
@Profile("demo")
class DemoData {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    /**
     * The demo shop's requisites: made up, with check digits and control keys that are right, as 1C's bank statement
     * needs them (report bank_statement_1c names the shop as the payee of the providers' settlements). The same ИНН
     * is the seller's on its receipts ({@link DemoSandboxSettings}).
     */
    static final String DEMO_INN = "7704567896";

    static final BankDetails DEMO_BANK_DETAILS = new BankDetails(
            "ООО «Демо Магазин»",
            "770401001",
            "40702810700000012345",
            "АО «Демо Банк»",
            "044525901",
            "30101810545250000901");

    private final Catalog catalog;
    private final Pricing pricing;
    private final Customers customers;
    private final Invoicing invoicing;
    private final Payments payments;
    private final Holds holds;
    private final CardPayments cardPayments;
    private final DemoSandbox sandbox;
    /** Invoices seeded on this start to be paid by card once the application (and its callbacks) is up. */
    private final List<Long> byCard = new CopyOnWriteArrayList<>();

    private final SettlementChains chains;

    DemoData(
            Catalog catalog,
            Pricing pricing,
            Customers customers,
            Invoicing invoicing,
            Payments payments,
            Holds holds,
            CardPayments cardPayments,
            DemoSandbox sandbox,
            SettlementChains chains) {
        this.cardPayments = cardPayments;
        this.chains = chains;
        this.sandbox = sandbox;
        this.catalog = catalog;
        this.pricing = pricing;
        this.customers = customers;
        this.invoicing = invoicing;
        this.payments = payments;
        this.holds = holds;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(1)
    @Transactional
    public void seed() {
        var existing = catalog.merchantByCode("DEMO");
        if (existing.isPresent()) {
            if (existing.get().bankDetails() == null) {
                // a demo database made before merchants had bank details
                catalog.setBankDetails(existing.get().id(), DEMO_INN, DEMO_BANK_DETAILS);
                log.info("merchant DEMO is given its bank details");
            }
            log.info("demo data is already there (merchant DEMO)");
            return;
        }
        Merchant shop = catalog.createMerchant(new NewMerchant("DEMO", "OOO Demo Shop", DEMO_INN, DEMO_BANK_DETAILS));
        LocalDate from = LocalDate.of(2025, 1, 1);
        List<String> anyMethod = List.of("balance", "bank_transfer", "card");
        // Subscriptions: standard VAT (20 % in 2025, 22 % from 2026), companies get 10 % off.
        pricing.create(new NewBillingRule(
                "subscriptions",
                "*",
                from,
                null,
                0,
                280,
                0,
                "standard",
                false,
                null,
                anyMethod,
                List.of("yookassa", "sber"),
                0));
        pricing.create(new NewBillingRule(
                "subscriptions",
                "company",
                from,
                null,
                -1_000,
                280,
                0,
                "standard",
                false,
                null,
                anyMethod,
                List.of("yookassa", "sber"),
                0));
        // Books: the reduced 10 % rate.
        pricing.create(new NewBillingRule(
                "books",
                "*",
                from,
                null,
                0,
                280,
                0,
                "reduced",
                false,
                null,
                anyMethod,
                List.of("sber", "yookassa"),
                0));
        // Conference tickets: by card only, held for two days through Acme processing (the YAML-only processor).
        pricing.create(new NewBillingRule(
                "events",
                "*",
                from,
                null,
                0,
                200,
                0,
                "standard",
                true,
                2 * 24 * 3600,
                List.of("card"),
                List.of("acme"),
                0));
        // Consulting for companies: paid through a 3-day hold, with 50 000 RUB of credit on the balance.
        pricing.create(new NewBillingRule(
                "consulting",
                "company",
                from,
                null,
                0,
                0,
                0,
                "standard",
                true,
                3 * 24 * 3600,
                List.of("balance", "bank_transfer"),
                List.of(),
                50_000_00));

        long subscription = catalog.createProduct(new NewProduct(
                        shop.id(), "SUB-MONTH", "Monthly subscription", "subscriptions", Money.rub(1_220_00), "piece"))
                .id();
        long book = catalog.createProduct(new NewProduct(
                        shop.id(), "BOOK-1C", "1C accounting handbook", "books", Money.rub(550_00), "piece"))
                .id();
        long consulting = catalog.createProduct(new NewProduct(
                        shop.id(), "CONSULT-H", "Consulting hour", "consulting", Money.rub(12_000_00), "hour"))
                .id();

        long ticket = catalog.createProduct(new NewProduct(
                        shop.id(), "CONF-2026", "Conference ticket", "events", Money.rub(4_900_00), "piece"))
                .id();

        long ivan = customers
                .create(new NewCustomer(
                        CustomerType.INDIVIDUAL, "Ivan Petrov", "ivan@example.ru", "+79990000001", null))
                .id();
        long romashka = customers
                .create(new NewCustomer(
                        CustomerType.COMPANY, "OOO Romashka", "buh@romashka.example", null, "7701234567"))
                .id();

        payments.topUp(ivan, Money.rub(5_000_00), "PP-0001");
        payments.topUp(romashka, Money.rub(40_000_00), "PP-0002");
        Invoice paid = invoicing.place(new PlaceOrder(
                ivan,
                "WEB-1001",
                null,
                List.of(new PlaceOrder.Item(subscription, BigDecimal.ONE), new PlaceOrder.Item(book, BigDecimal.TWO))));
        payments.payFromBalance(paid.id(), paid.total());
        Invoice held = invoicing.place(new PlaceOrder(
                romashka,
                "CRM-2001",
                null,
                List.of(
                        new PlaceOrder.Item(consulting, new BigDecimal("2.5")),
                        new PlaceOrder.Item(subscription, BigDecimal.ONE))));
        holds.place(held.id(), null, null);
        invoicing.place(new PlaceOrder(romashka, "CRM-2002", null, List.of(new PlaceOrder.Item(book, BigDecimal.TEN))));
        byCard.add(invoicing
                .place(new PlaceOrder(
                        ivan, "WEB-1002", null, List.of(new PlaceOrder.Item(subscription, BigDecimal.ONE))))
                .id());
        byCard.add(invoicing
                .place(new PlaceOrder(ivan, "WEB-1003", null, List.of(new PlaceOrder.Item(ticket, BigDecimal.ONE))))
                .id());
        log.info(
                "demo data: merchant DEMO, 4 products, 5 rules, customers {} (Ivan Petrov) and {} (OOO Romashka), invoices {} (paid), {} (held), one issued, and two to be paid by card",
                ivan,
                romashka,
                paid.number(),
                held.number());
    }

    /**
     * Pays the seeded card invoices through the simulated providers, as a customer would through the API: a
     * subscription charged at once by YooKassa, a conference ticket held by Acme processing.
     */
    @EventListener(ApplicationReadyEvent.class)
    @Order(2)
    public void payByCard() {
        for (long invoice : byCard) {
            CardPayment payment = cardPayments.start(invoice, null, null, "demo:invoice:" + invoice);
            log.info(
                    "demo card payment {}: invoice {} through {}, {}",
                    payment.id(),
                    invoice,
                    payment.provider(),
                    payment.status().code());
        }
        List<Long> started = List.copyOf(byCard);
        byCard.clear();
        if (!started.isEmpty()) {
            Thread.ofVirtual().name("demo-registries").start(() -> deliverRegistriesWhenSettled(started));
        }
    }

    /** Once the card payments are settled at the simulated providers, their registries of the day arrive. */
    private void deliverRegistriesWhenSettled(List<Long> invoices) {
        try {
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline
                    && invoices.stream()
                            .flatMap(i -> cardPayments.ofInvoice(i).stream())
                            .anyMatch(p -> p.status() == CardPayment.Status.PENDING
                                    || p.status() == CardPayment.Status.CREATING)) {
                Thread.sleep(500);
            }
            // The demo's day is today: its chain runs now rather than at six tomorrow morning.
            sandbox.deliverTodaysRegistries().forEach((provider, day) -> {
                try {
                    var chain = chains.start(provider, day, Chain.Trigger.MANUAL);
                    log.info("demo: settlement chain {} of {} {} started", chain.id(), provider, day);
                } catch (RuntimeException e) {
                    log.warn("demo: the settlement chain of {} {} did not start", provider, day, e);
                }
            });
        } catch (Exception e) {
            log.warn("demo: the providers' registries were not delivered", e);
        }
    }
}

package io.kopek.report.catalogue;

import io.kopek.ReportsTestApplication;
import io.kopek.billing.Invoice;
import io.kopek.billing.Invoicing;
import io.kopek.billing.Payments;
import io.kopek.billing.PlaceOrder;
import io.kopek.calendar.BusinessCalendar;
import io.kopek.catalog.Catalog;
import io.kopek.catalog.NewProduct;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.NewCustomer;
import io.kopek.ledger.Ledger;
import io.kopek.money.Money;
import io.kopek.partition.DayPartitions;
import io.kopek.pricing.NewBillingRule;
import io.kopek.pricing.Pricing;
import io.kopek.report.ReportDefinition;
import io.kopek.report.ReportFilters;
import io.kopek.report.ReportQuery;
import io.kopek.report.ReportType;
import io.kopek.report.Table;
import io.kopek.testing.MerchantCodes;
import io.kopek.testing.MutableClock;
import io.kopek.testing.TestClockConfiguration;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Base of the catalogue's tests: real data made through the owners' services (each test with a merchant, product
 * category, billing rule, provider and customer of its own, so the shared database's other rows never count), and a
 * report's tables read as a run reads them: checked filters, the ledger's watermark, one read-only repeatable-read
 * transaction.
 */
@SpringBootTest(classes = ReportsTestApplication.class)
@Import(TestClockConfiguration.class)
abstract class CatalogueTest {

    @Autowired
    Catalog catalog;

    @Autowired
    Pricing pricing;

    @Autowired
    Customers customers;

    @Autowired
    Invoicing invoicing;

    @Autowired
    Payments payments;

    @Autowired
    Ledger ledger;

    @Autowired
    BusinessCalendar calendar;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DayPartitions partitions;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    List<ReportDefinition> definitions;

    String run;
    String provider;
    String merchantCode;
    long merchantId;
    long product;
    long customer;
    LocalDate today;

    @BeforeEach
    void ownFixtures() {
        clock.set(Instant.now());
        run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        provider = "pay" + run;
        merchantCode = "C" + MerchantCodes.lettersOf(run);
        merchantId =
                catalog.createMerchant(merchantCode, "Магазин", "7700000009").id();
        String category = "cat-" + run;
        product = catalog.createProduct(
                        new NewProduct(merchantId, "SKU-" + run, "Товар", category, Money.rub(1_000_00), "piece"))
                .id();
        // 2.5 % expected commission of a card payment; holds live an hour at most.
        pricing.create(new NewBillingRule(
                category,
                "*",
                LocalDate.of(2020, 1, 1),
                null,
                0,
                250,
                0,
                "standard",
                false,
                3600,
                List.of("card", "balance", "bank_transfer"),
                List.of(provider),
                0));
        customer = buyer();
        today = calendar.today();
    }

    long buyer() {
        return customers
                .create(new NewCustomer(CustomerType.INDIVIDUAL, "Покупатель", "buyer@example.ru", null, null))
                .id();
    }

    Invoice invoice(int quantity) {
        return invoiceOf(customer, quantity);
    }

    Invoice invoiceOf(long customerId, int quantity) {
        return invoicing.place(new PlaceOrder(
                customerId, null, null, List.of(new PlaceOrder.Item(product, BigDecimal.valueOf(quantity)))));
    }

    /** Today's filters, nothing else given. */
    F today() {
        return new F().from(today).to(today);
    }

    /** A time as the reports show it: the business zone's wall clock, to the database's microsecond. */
    LocalDateTime local(Instant at) {
        return LocalDateTime.ofInstant(at, calendar.zone()).truncatedTo(ChronoUnit.MICROS);
    }

    /** A table of a report and the rows it gave. */
    record Read(Table table, List<Object[]> rows) {}

    /** Every table of the report, in order, read as a run reads them. */
    List<Read> tables(ReportType type, F filters) {
        return tables(type, filters, null);
    }

    /** The same, reading the ledger up to {@code watermark} (the last entry now when null). */
    List<Read> tables(ReportType type, F filters, Long watermark) {
        ReportFilters checked = filters.filters().validFor(type, today);
        ReportDefinition definition =
                definitions.stream().filter(d -> d.type() == type).findFirst().orElseThrow();
        TransactionTemplate snapshot = new TransactionTemplate(transactions);
        snapshot.setReadOnly(true);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        return snapshot.execute(tx -> {
            ReportQuery query = new ReportQuery(
                    type, checked, watermark == null ? ledger.lastEntryId() : watermark, LocalDateTime.now());
            List<Read> tables = new ArrayList<>();
            for (Table table : definition.tables(query)) {
                try (Stream<Object[]> rows = table.rows().get()) {
                    List<Object[]> read = new ArrayList<>();
                    rows.forEach(r -> {
                        if (r.length != table.columns().size()) {
                            throw new AssertionError(table.name() + ": a row of " + r.length + " cells");
                        }
                        read.add(r);
                    });
                    tables.add(new Read(table, read));
                }
            }
            return tables;
        });
    }

    /** The rows of the report's detail table (its one long table). */
    List<Object[]> detail(ReportType type, F filters) {
        return tables(type, filters).stream()
                .filter(r -> r.table().kind() == Table.Kind.DETAIL)
                .findFirst()
                .orElseThrow()
                .rows();
    }

    static long sum(List<Object[]> rows, int column) {
        return rows.stream()
                .map(r -> (Long) r[column])
                .filter(v -> v != null)
                .mapToLong(Long::longValue)
                .sum();
    }

    static List<Object> column(List<Object[]> rows, int column) {
        return rows.stream().map(r -> r[column]).toList();
    }

    /** Filters built up one by one. */
    static final class F {
        LocalDate from;
        LocalDate to;
        String provider;
        String merchant;
        String status;
        Long customer;
        CustomerType customerType;
        Long min;
        Long max;

        F from(LocalDate d) {
            from = d;
            return this;
        }

        F to(LocalDate d) {
            to = d;
            return this;
        }

        F provider(String p) {
            provider = p;
            return this;
        }

        F merchant(String m) {
            merchant = m;
            return this;
        }

        F status(String s) {
            status = s;
            return this;
        }

        F customer(long c) {
            customer = c;
            return this;
        }

        F customerType(CustomerType t) {
            customerType = t;
            return this;
        }

        F min(long m) {
            min = m;
            return this;
        }

        F max(long m) {
            max = m;
            return this;
        }

        ReportFilters filters() {
            return new ReportFilters(from, to, provider, merchant, status, null, customerType, customer, min, max);
        }
    }
}

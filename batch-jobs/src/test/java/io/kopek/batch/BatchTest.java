package io.kopek.batch;

import io.kopek.BatchTestApplication;
import io.kopek.billing.Payments;
import io.kopek.customer.CustomerType;
import io.kopek.customer.Customers;
import io.kopek.customer.NewCustomer;
import io.kopek.fiscal.FiscalReceipts;
import io.kopek.fiscal.Receipt;
import io.kopek.money.Money;
import io.kopek.sandbox.atol.AtolSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the batch module's tests: billing-core, the fiscal gateway and the jobs over the test run's own database
 * (the job repository included), with one ATOL simulator on a loopback port, reached over real HTTP.
 */
@SpringBootTest(classes = BatchTestApplication.class)
abstract class BatchTest {

    static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    static final AtolSimulator atol = start();

    static AtolSimulator start() {
        try {
            return AtolSimulator.start(0, "v5-online-atol-ru", "zUr0OxfI", "v5-online-atol-ru_5179");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void atolUrl(DynamicPropertyRegistry registry) {
        registry.add("kopek.fiscal.atol.base-url", () -> atol.baseUrl().toString());
    }

    @Autowired
    Jobs jobs;

    @Autowired
    Customers customers;

    @Autowired
    Payments payments;

    @Autowired
    FiscalReceipts receipts;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void wellBehavedOperator() {
        atol.reset();
    }

    /** A new customer with {@code count} balance top-ups, each of which needs a receipt. */
    long customerWithTopUps(int count) {
        long customer = customers
                .create(new NewCustomer(CustomerType.INDIVIDUAL, "Иван Петров", "buyer@example.ru", null, null))
                .id();
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < count; i++) {
            payments.topUp(customer, Money.rub(100_00 + i), "PP-" + run + "-" + i);
        }
        return customer;
    }

    List<Receipt> receiptsOf(long customer) {
        return jdbc
                .sql("select id from receipt where customer_id = ? order by id")
                .param(customer)
                .query(Long.class)
                .list()
                .stream()
                .map(receipts::get)
                .toList();
    }

    JobRun run(String job) {
        return jobs.run(job, Map.of(), RUN_TIMEOUT);
    }

    static String externalId(Receipt r) {
        return r.externalId();
    }
}

package io.kopek.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kopek.SearchTestApplication;
import io.kopek.billing.Invoicing;
import io.kopek.billing.Payment;
import io.kopek.billing.Payments;
import io.kopek.catalog.Catalog;
import io.kopek.customer.Customers;
import io.kopek.pricing.Pricing;
import io.kopek.sandbox.search.SearchEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A node of the test's own stopped in the middle of indexing and started again on the same port: the batch role's
 * loop waits, payments go on meanwhile, and once the node is back every payment is indexed.
 */
@SpringBootTest(
        classes = SearchTestApplication.class,
        properties = {
            "kopek.search.enabled=true",
            "kopek.roles=api,batch",
            "kopek.search.settle=0s",
            "kopek.search.idle=100ms",
            "kopek.search.retry.initial=100ms",
            "kopek.search.retry.max=1s",
            "kopek.search.retry.attempts=2"
        })
class EngineOutageTest {

    static SearchEngine node;

    @DynamicPropertySource
    static void engine(DynamicPropertyRegistry registry) {
        registry.add("kopek.search.uris", () -> {
            if (node == null) {
                node = SearchEngine.start(SearchEngine.distribution(), "384m");
            }
            return node.uri().toString();
        });
    }

    @AfterAll
    static void stopTheNode() {
        if (node != null) {
            node.close();
        }
    }

    @Autowired
    SearchIndexer indexer;

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

    @Test
    void theEngineStoppedAndStartedAgainInTheMiddleOfIndexingLosesNothing() {
        Fixtures fixtures = new Fixtures(catalog, pricing, customers, invoicing, payments);
        List<Payment> paid = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            paid.add(fixtures.paidByCard(fixtures.invoice(1)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> indexed(paid.getLast()));

        node.stop();
        for (int i = 0; i < 3; i++) {
            paid.add(fixtures.paidByCard(fixtures.invoice(2))); // payments do not wait for the index
        }
        long behind = await().atMost(Duration.ofSeconds(20))
                .until(() -> indexer.position().behind(), lag -> lag > 0);
        node.restart();

        await().atMost(Duration.ofSeconds(90)).until(() -> paid.stream().allMatch(this::indexed));
        assertThat(behind).as("the consumer waited at the outage").isPositive();
        assertThat(paid)
                .allSatisfy(payment -> assertThat(
                                Fixtures.source(Fixtures.get(node.uri(), Kind.PAYMENTS.alias(), payment.id())
                                        .orElseThrow()))
                        .containsEntry("amount", (int) payment.amount().minor()));
    }

    private boolean indexed(Payment payment) {
        try {
            return Fixtures.get(node.uri(), Kind.PAYMENTS.alias(), payment.id()).isPresent();
        } catch (RuntimeException unreachable) {
            return false;
        }
    }
}

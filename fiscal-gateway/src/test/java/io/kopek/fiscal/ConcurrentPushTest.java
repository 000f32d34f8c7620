package io.kopek.fiscal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.money.Money;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Two pushers, as two batch workers would run them, share the pending receipts: each is sent exactly once. */
class ConcurrentPushTest extends FiscalTest {

    @Test
    void twoPushersAtOnceSendEachReceiptOnce() throws Exception {
        long customer = buyer();
        for (int i = 0; i < 60; i++) {
            payments.topUp(customer, Money.rub(100_00 + i), "PP-C" + i);
        }
        consumer.poll();
        List<Receipt> made =
                jdbc
                        .sql("select id from receipt where customer_id = ?")
                        .param(customer)
                        .query(Long.class)
                        .list()
                        .stream()
                        .map(receipts::get)
                        .toList();
        assertThat(made).hasSize(60);
        atol.script().latency(Duration.ofMillis(20));
        tokenFetched();

        CountDownLatch start = new CountDownLatch(1);
        try (var workers = Executors.newFixedThreadPool(2)) {
            CompletableFuture<FiscalPass> first = CompletableFuture.supplyAsync(() -> push(start), workers);
            CompletableFuture<FiscalPass> second = CompletableFuture.supplyAsync(() -> push(start), workers);
            start.countDown();
            FiscalPass a = first.get();
            FiscalPass b = second.get();
            assertThat(a.succeeded() + b.succeeded()).isGreaterThanOrEqualTo(60);
            assertThat(a.taken()).as("both workers took part").isPositive();
            assertThat(b.taken()).as("both workers took part").isPositive();
        }
        poller.poll();

        for (Receipt r : made) {
            assertThat(atol.registerCalls(externalId(r)))
                    .as("register calls of " + r.id())
                    .isEqualTo(1);
            assertThat(receipts.get(r.id()).state()).isEqualTo(ReceiptState.DONE);
        }
    }

    @Test
    void requestsToTheOperatorArePipelinedNotSentOneAtATime() {
        long customer = buyer();
        for (int i = 0; i < 160; i++) {
            payments.topUp(customer, Money.rub(200_00 + i), "PP-P" + i);
        }
        consumer.poll();
        tokenFetched();
        atol.script().latency(Duration.ofMillis(50));

        long started = System.nanoTime();
        FiscalPass pass = pusher.push();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(pass.succeeded()).isGreaterThanOrEqualTo(160);
        // One at a time would take 160 × 50 ms = 8 s; 8 in flight about 1 s.
        assertThat(took).isLessThan(Duration.ofSeconds(4));
        System.out.printf(
                "pushed %d receipts in %d ms at 50 ms latency: %.0f receipts/s%n",
                pass.succeeded(), took.toMillis(), pass.succeeded() * 1000.0 / took.toMillis());
    }

    FiscalPass push(CountDownLatch start) {
        try {
            start.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return pusher.push();
    }
}

package io.kopek.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.batch.fiscal.FiscalPushJob;
import io.kopek.batch.fiscal.FiscalStatusJob;
import io.kopek.batch.fiscal.UnfiscalizedCheckJob;
import io.kopek.fiscal.Receipt;
import io.kopek.fiscal.ReceiptState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fiscal jobs over the gateway's services, against the ATOL simulator over HTTP. */
class FiscalJobsTest extends BatchTest {

    @Test
    void pushThenStatusGivesEveryPaymentADoneReceiptWithItsFiscalAttributes() {
        long customer = customerWithTopUps(12);

        assertThat(run(FiscalPushJob.NAME).status()).isEqualTo("COMPLETED");
        JobRun status = run(FiscalStatusJob.NAME);

        assertThat(status.status()).isEqualTo("COMPLETED");
        assertThat(status.steps().getFirst().counters().get("done")).isGreaterThanOrEqualTo(12);
        List<Receipt> made = receiptsOf(customer);
        assertThat(made).hasSize(12).allSatisfy(r -> {
            assertThat(r.state()).isEqualTo(ReceiptState.DONE);
            assertThat(r.attributes().fnNumber()).isNotBlank();
            assertThat(r.attributes().fiscalDocumentAttribute()).isNotBlank();
            assertThat(atol.registerCalls(externalId(r))).isEqualTo(1);
        });
    }

    @Test
    void twoPushRunsAtOnceSendEachReceiptOnce() {
        long customer = customerWithTopUps(60);
        atol.script().latency(Duration.ofMillis(20));

        JobRun first = jobs.start(FiscalPushJob.NAME, Map.of());
        JobRun second = jobs.start(FiscalPushJob.NAME, Map.of());
        first = jobs.awaitEnd(first.id(), RUN_TIMEOUT);
        second = jobs.awaitEnd(second.id(), RUN_TIMEOUT);
        run(FiscalStatusJob.NAME);

        assertThat(first.status()).isEqualTo("COMPLETED");
        assertThat(second.status()).isEqualTo("COMPLETED");
        assertThat(first.instanceId()).isNotEqualTo(second.instanceId());
        assertThat(receiptsOf(customer)).hasSize(60).allSatisfy(r -> {
            assertThat(atol.registerCalls(externalId(r)))
                    .as("register calls of " + r.id())
                    .isEqualTo(1);
            assertThat(r.state()).isEqualTo(ReceiptState.DONE);
        });
    }

    @Test
    void anOperatorOutageLeavesReceiptsPendingUntilALaterRunSendsThem() throws Exception {
        long customer = customerWithTopUps(5);
        atol.goOffline();
        try {
            JobRun during = run(FiscalPushJob.NAME);
            assertThat(during.status()).as("an outage is not a failed run").isEqualTo("COMPLETED");
            assertThat(during.steps().get(1).counters().get("later")).isGreaterThanOrEqualTo(5);
            assertThat(receiptsOf(customer))
                    .allSatisfy(r -> assertThat(r.state()).isEqualTo(ReceiptState.PENDING));
        } finally {
            atol.comeBack();
        }
        jdbc.sql("update receipt set next_attempt_at = now() where customer_id = ? and state = 'pending'")
                .param(customer)
                .update(); // the backoff is over

        run(FiscalPushJob.NAME);
        run(FiscalStatusJob.NAME);

        assertThat(receiptsOf(customer)).hasSize(5).allSatisfy(r -> {
            assertThat(r.state()).isEqualTo(ReceiptState.DONE);
            assertThat(atol.registerCalls(externalId(r))).isEqualTo(1);
        });
    }

    @Test
    void theUnfiscalizedCheckCompletesOnAHealthyDay() {
        JobRun check = run(UnfiscalizedCheckJob.NAME);

        assertThat(check.status()).isEqualTo("COMPLETED");
        assertThat(check.exitCode()).isEqualTo("COMPLETED");
        assertThat(check.steps().getFirst().counters()).containsEntry("unfiscalized", 0L);
        assertThat(check.summary()).containsEntry("unfiscalized", 0L);
    }
}

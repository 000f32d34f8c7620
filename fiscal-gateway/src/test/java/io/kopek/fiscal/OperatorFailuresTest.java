package io.kopek.fiscal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.billing.Invoice;
import io.kopek.billing.Payment;
import io.kopek.customer.CustomerType;
import io.kopek.customer.NewCustomer;
import io.kopek.money.Money;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The operator down, slow, forgetful of tokens or refusing: no receipt is lost, none is registered twice. */
class OperatorFailuresTest extends FiscalTest {

    @org.springframework.beans.factory.annotation.Autowired
    io.kopek.installation.Installation installation;

    @Test
    void anOutageLeavesReceiptsPendingAndRecoverySendsEachExactlyOnce() throws Exception {
        List<Receipt> made = topUps(5);
        atol.goOffline();
        try {
            FiscalPass during = pusher.push();
            assertThat(during.later()).isGreaterThanOrEqualTo(5);
            clock.advance(Duration.ofMinutes(2)); // still down at the first retries
            pusher.push();
        } finally {
            atol.comeBack();
        }
        for (Receipt r : made) {
            Receipt now = receipts.get(r.id());
            assertThat(now.state()).isEqualTo(ReceiptState.PENDING);
            assertThat(now.attempts()).isEqualTo(2);
            assertThat(now.lastError()).contains("unreachable");
            assertThat(now.nextAttemptAt()).isAfter(clock.instant());
        }

        pusher.push();
        assertThat(receipts.get(made.get(0).id()).state())
                .as("not due again before its backoff ends")
                .isEqualTo(ReceiptState.PENDING);
        clock.advance(Duration.ofMinutes(5));
        pusher.push();
        poller.poll();

        for (Receipt r : made) {
            assertThat(receipts.get(r.id()).state()).isEqualTo(ReceiptState.DONE);
            assertThat(atol.registerCalls(externalId(r))).isEqualTo(1);
        }
    }

    @Autowired
    ReceiptStore store;

    @Test
    void receiptsClaimedByAWorkerThatDiedAreSentByAnotherAfterTheLeaseAndOnlyOnce() {
        Receipt r = topUps(1).getFirst();
        Instant now = clock.instant();
        // A worker claims the receipt, then is killed before it sends anything.
        List<Receipt> claimed =
                store.claim(ReceiptState.PENDING, now, now.plus(Duration.ofMinutes(2)), 1_000, true, new Long[0]);
        assertThat(claimed).extracting(Receipt::id).contains(r.id());

        pusher.push();
        assertThat(atol.registerCalls(externalId(r)))
                .as("not while the lease lasts")
                .isZero();

        clock.advance(Duration.ofMinutes(3));
        pusher.push();
        poller.poll();

        assertThat(receipts.get(r.id()).state()).isEqualTo(ReceiptState.DONE);
        assertThat(atol.registerCalls(externalId(r))).isEqualTo(1);
    }

    @Test
    void serverErrorsAreRetriedWithGrowingPausesUntilTheOperatorAnswers() {
        Receipt r = topUps(1).getFirst();
        atol.script().failNext(1_000);

        List<Duration> pauses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pusher.push();
            Receipt now = receipts.get(r.id());
            assertThat(now.state()).isEqualTo(ReceiptState.PENDING);
            assertThat(now.lastError()).contains("HTTP 500");
            // The database keeps microseconds: compare with the clock as it would be stored.
            pauses.add(Duration.between(clock.instant().truncatedTo(ChronoUnit.MICROS), now.nextAttemptAt()));
            clock.advance(Duration.ofMinutes(2));
        }
        // initial 1 s doubled per attempt, with jitter between half and all of it
        assertThat(pauses.get(0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(pauses.get(3)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));

        atol.script().reset();
        pusher.push();
        poller.poll();
        assertThat(receipts.get(r.id()).state()).isEqualTo(ReceiptState.DONE);
        assertThat(atol.registerCalls(externalId(r))).isEqualTo(1);
    }

    @Test
    void aLostAnswerIsResentUnderTheSameExternalIdAndRegistersOneReceipt() {
        Receipt r = topUps(1).getFirst();
        tokenFetched();
        atol.script().actThenHangNext(1, Duration.ofMillis(1_500)); // longer than the 1 s request timeout

        pusher.push();
        assertThat(receipts.get(r.id()).state()).isEqualTo(ReceiptState.PENDING);
        assertThat(atol.registered(externalId(r)))
                .as("registered, but the answer was lost")
                .isNotNull();

        clock.advance(Duration.ofMinutes(1));
        pusher.push();
        poller.poll();

        assertThat(receipts.get(r.id()).state()).isEqualTo(ReceiptState.DONE);
        assertThat(atol.registerCalls(externalId(r))).isEqualTo(2);
        assertThat(receipts.get(r.id()).operatorUuid()).isNotNull();
    }

    @Test
    void anExpiredTokenIsRenewedAndTheReceiptStillGoesOut() {
        Receipt r = topUps(1).getFirst();
        tokenFetched();
        int tokens = atol.tokensIssued();
        atol.expireTokens();

        pusher.push();
        poller.poll();

        assertThat(receipts.get(r.id()).state()).isEqualTo(ReceiptState.DONE);
        assertThat(atol.tokensIssued()).isEqualTo(tokens + 1);
        assertThat(atol.registerCalls(externalId(r))).isEqualTo(1);
    }

    @Test
    void theTokenIsRenewedBeforeItExpires() {
        atol.expireTokens();
        tokenFetched(); // a token obtained now
        int tokens = atol.tokensIssued();
        clock.advance(Duration.ofHours(22));
        tokenFetched();
        assertThat(atol.tokensIssued()).isEqualTo(tokens);

        clock.advance(Duration.ofHours(1).plusMinutes(1)); // within the last hour of 24
        tokenFetched();
        assertThat(atol.tokensIssued()).isEqualTo(tokens + 1);
    }

    @Test
    void aReceiptTheOperatorRefusesStopsAsInvalidWithItsMessageAndAnAlert() {
        Receipt r = topUps(1).getFirst();
        tokenFetched();
        atol.rejectNext(1, "ИНН организации не соответствует ККТ");

        FiscalPass pass = pusher.push();

        Receipt now = receipts.get(r.id());
        assertThat(pass.stopped()).isEqualTo(1);
        assertThat(now.state()).isEqualTo(ReceiptState.INVALID);
        assertThat(now.lastError()).contains("32").contains("ИНН организации не соответствует ККТ");
        assertThat(alerts("fiscal.receipt_invalid", r.id()))
                .singleElement()
                .asString()
                .contains("ИНН организации");

        clock.advance(Duration.ofHours(1));
        pusher.push();
        assertThat(atol.registerCalls(externalId(r))).as("never sent again").isEqualTo(1);
    }

    @Test
    void aReceiptThatFailsOurValidationIsNeverSentAndRaisesAnAlert() {
        // An e-mail that is no address: the receipt has nowhere to go.
        long person = customers
                .create(new NewCustomer(CustomerType.INDIVIDUAL, "Иван Петров", "ivan-at-example.ru", null, null))
                .id();
        Invoice invoice = invoice(person, product("Хостинг", 1_000_00), 1);
        Payment payment = payments.recordBankTransfer(invoice.id(), invoice.total(), "PP-900");

        fiscalise();

        Receipt r = receipt("payment:" + payment.id() + ":sell");
        assertThat(r.state()).isEqualTo(ReceiptState.INVALID);
        assertThat(r.lastError()).isEqualTo("client e-mail 'ivan-at-example.ru' is not an address");
        assertThat(alerts("fiscal.receipt_invalid", r.id()))
                .containsExactly("client e-mail 'ivan-at-example.ru' is not an address");
        assertThat(atol.registerCalls(externalId(r))).isZero();
    }

    @Test
    void aReceiptTheCashRegisterFailsIsFailedWithAnAlert() {
        Receipt r = topUps(1).getFirst();
        atol.failNextReceipts(1, "Ошибка ФН: исчерпан ресурс");

        fiscalise();

        Receipt now = receipts.get(r.id());
        assertThat(now.state()).isEqualTo(ReceiptState.FAILED);
        assertThat(now.lastError()).contains("Ошибка ФН");
        assertThat(alerts("fiscal.receipt_failed", r.id()))
                .singleElement()
                .asString()
                .contains("Ошибка ФН");
    }

    @Test
    void aReceiptStaysWaitingUntilTheCashRegisterHasRegisteredIt() {
        Receipt r = topUps(1).getFirst();
        atol.processingDelay(Duration.ofMillis(400));

        fiscalise();
        assertThat(receipts.get(r.id()).state()).isEqualTo(ReceiptState.WAITING);

        await(() -> {
            poller.poll();
            return receipts.get(r.id()).state() == ReceiptState.DONE;
        });
        assertThat(receipts.get(r.id()).attributes().fiscalDocumentNumber()).isPositive();
    }

    @Test
    void aReceiptWhoseQueueTimedOutIsSentAgainUnderANewExternalIdAndRegisteredOnce() {
        Receipt r = topUps(1).getFirst();
        String first = r.externalId();
        atol.timeOutNextReceipts(1);

        fiscalise(); // sent, then reported failed: the operator's queue timed out
        Receipt afterFailure = receipts.get(r.id());
        assertThat(afterFailure.state()).isEqualTo(ReceiptState.PENDING);
        assertThat(afterFailure.externalId()).isEqualTo(first + "-2");
        fiscalise(); // the failed attempt is checked again, then the receipt sent under the new id

        Receipt done = receipts.get(r.id());
        assertThat(done.state()).isEqualTo(ReceiptState.DONE);
        assertThat(done.resends()).isEqualTo(1);
        assertThat(atol.registerCalls(first)).isEqualTo(1);
        assertThat(atol.registerCalls(first + "-2")).isEqualTo(1);
        assertThat(alerts("fiscal.receipt_failed", r.id())).isEmpty();
    }

    @Test
    void anAttemptReportedFailedThatIsRegisteredAfterAllIsAdoptedNotSentAgain() {
        Receipt r = topUps(1).getFirst();
        String first = r.externalId();
        atol.timeOutNextReceipts(1);
        fiscalise(); // reported failed: back to pending under first-2
        atol.registeredAfterAll(first);

        fiscalise();

        Receipt done = receipts.get(r.id());
        assertThat(done.state()).isEqualTo(ReceiptState.DONE);
        assertThat(done.externalId()).isEqualTo(first);
        assertThat(atol.registerCalls(first + "-2"))
                .as("never sent under a second id")
                .isZero();
        assertThat(atol.receiptsRegistered()).isEqualTo(1);
    }

    @Test
    void aReceiptFailedByTheCashRegisterIsNotSentAgain() {
        Receipt r = topUps(1).getFirst();
        atol.failNextReceipts(1, "Ошибка ФН");

        fiscalise();
        fiscalise();

        assertThat(receipts.get(r.id()).state()).isEqualTo(ReceiptState.FAILED);
        assertThat(receipts.get(r.id()).resends()).isZero();
        assertThat(atol.registerCalls(r.externalId())).isEqualTo(1);
    }

    @Test
    void registeredBeforeWithoutTheRegisteredReceiptsUuidStopsWithAnAlertInsteadOfRetryingForEver() {
        Receipt r = topUps(1).getFirst();
        atol.existsWithoutUuidNext(1);

        fiscalise();
        fiscalise();

        Receipt now = receipts.get(r.id());
        assertThat(now.state()).isEqualTo(ReceiptState.FAILED);
        assertThat(now.lastError()).contains("error 33 without");
        assertThat(alerts("fiscal.receipt_failed", r.id()))
                .singleElement()
                .asString()
                .contains("error 33");
        assertThat(atol.registerCalls(r.externalId())).isEqualTo(1);
    }

    @Test
    void aReportTheOperatorKeepsNoLongerStopsWithAnAlertInsteadOfPollingForEver() {
        Receipt r = topUps(1).getFirst();
        atol.processingDelay(Duration.ofHours(1));
        pusher.push();
        atol.forgetReports(); // 30 days later

        poller.poll();

        Receipt now = receipts.get(r.id());
        assertThat(now.state()).isEqualTo(ReceiptState.FAILED);
        assertThat(alerts("fiscal.receipt_failed", r.id()))
                .singleElement()
                .asString()
                .contains("ATOL error 30");
    }

    @Test
    void externalIdsCarryThisInstallationsRandomId() {
        Receipt r = topUps(1).getFirst();

        assertThat(r.externalId()).isEqualTo("kopek-" + installation.id() + "-" + r.id());
        assertThat(installation.id()).matches("[a-z0-9]{8}");
    }

    @Test
    void anotherInstallationsReceiptUnderOurExternalIdIsNotAdopted() {
        Receipt r = topUps(1).getFirst();
        // A restored copy of the database, or another installation, registered its own document under this id.
        atol.registerForeign(
                r.externalId(),
                "sell",
                tools.jackson.databind.json.JsonMapper.shared()
                        .readTree("{\"receipt\":{\"total\":1.00,\"items\":[],\"payments\":[]}}"));

        fiscalise();

        Receipt now = receipts.get(r.id());
        assertThat(now.state()).isEqualTo(ReceiptState.FAILED);
        assertThat(now.attributes()).isNull();
        assertThat(alerts("fiscal.receipt_failed", r.id()))
                .singleElement()
                .asString()
                .contains("is not this one: its total is 1.00, ours 1000.00");
    }

    List<Receipt> topUps(int n) {
        long customer = buyer();
        List<Receipt> made = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Payment p = payments.topUp(customer, Money.rub(1_000_00 + i), "PP-" + i);
            consumer.poll();
            made.add(receipt("payment:" + p.id() + ":sell"));
        }
        return made;
    }

    static void await(java.util.function.BooleanSupplier condition) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(condition::getAsBoolean);
    }
}

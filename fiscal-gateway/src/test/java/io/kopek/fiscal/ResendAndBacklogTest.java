package io.kopek.fiscal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kopek.billing.Payment;
import io.kopek.errors.KopekException;
import io.kopek.money.Money;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A person sends a failed receipt again; the console's view of what is not fiscalised yet. */
class ResendAndBacklogTest extends FiscalTest {

    Receipt topUp(long kopecks) {
        Payment p = payments.topUp(buyer(), Money.rub(kopecks), "PP-" + UUID.randomUUID());
        consumer.poll();
        return receipt("payment:" + p.id() + ":sell");
    }

    List<String> resendsAsked(long receiptId) {
        return jdbc.sql("select actor || ' ' || coalesce(reason, '-') || ' ' || external_id from receipt_resend"
                        + " where receipt_id = ? order by id")
                .param(receiptId)
                .query(String.class)
                .list();
    }

    @Test
    void aReceiptTheCashRegisterFailedIsSentAgainUnderANewExternalIdAndDone() {
        Receipt r = topUp(1_000_00);
        String first = r.externalId();
        atol.failNextReceipts(1, "Ошибка ФН: исчерпан ресурс");
        fiscalise();
        assertThat(receipts.get(r.id()).state()).isEqualTo(ReceiptState.FAILED);

        Receipt resent = receipts.resend(r.id(), "user:olga", "the fiscal drive was replaced");

        assertThat(resent.state()).isEqualTo(ReceiptState.PENDING);
        assertThat(resent.externalId()).isEqualTo(first + "-2");
        assertThat(resent.resends()).isEqualTo(1);
        fiscalise(); // the failed attempt is checked again, then the receipt goes under the new id
        Receipt done = receipts.get(r.id());
        assertThat(done.state()).isEqualTo(ReceiptState.DONE);
        assertThat(done.attributes().fiscalDocumentNumber()).isPositive();
        assertThat(atol.registerCalls(first)).isEqualTo(1);
        assertThat(atol.registerCalls(first + "-2")).isEqualTo(1);
        assertThat(resendsAsked(r.id())).containsExactly("user:olga the fiscal drive was replaced " + first + "-2");
    }

    @Test
    void onlyAFailedReceiptIsSentAgain() {
        Receipt r = topUp(1_000_00);
        fiscalise();
        assertThat(receipts.get(r.id()).state()).isEqualTo(ReceiptState.DONE);

        var refused = catchThrowableOfType(KopekException.class, () -> receipts.resend(r.id(), "user:olga", null));

        assertThat(refused.type()).isEqualTo("receipt-not-failed");
        assertThat(refused.getMessage()).contains("is done");
        assertThat(receipts.get(r.id()).state()).isEqualTo(ReceiptState.DONE);
        assertThat(atol.registerCalls(r.externalId())).isEqualTo(1);
        assertThat(resendsAsked(r.id())).isEmpty();
        assertThat(catchThrowableOfType(KopekException.class, () -> receipts.resend(-1, "user:olga", null))
                        .type())
                .isEqualTo("not-found");
    }

    @Test
    void aReceiptTheOperatorNeverAcceptedIsSentAgainUnderTheSameExternalIdAndRegisteredOnce() {
        Receipt r = topUp(1_000_00);
        atol.existsWithoutUuidNext(1);
        fiscalise();
        assertThat(receipts.get(r.id()).state()).isEqualTo(ReceiptState.FAILED);

        Receipt resent = receipts.resend(r.id(), "user:olga", null);
        fiscalise();

        assertThat(resent.externalId()).isEqualTo(r.externalId());
        assertThat(resent.resends()).isZero();
        assertThat(receipts.get(r.id()).state()).isEqualTo(ReceiptState.DONE);
        assertThat(atol.registerCalls(r.externalId())).isEqualTo(2);
        assertThat(atol.operationOf(r.externalId())).isEqualTo("sell");
    }

    @Test
    void aReceiptStoppedForAnotherDocumentUnderItsExternalIdIsRegisteredUnderANewOneNotAdoptingTheOther() {
        Receipt r = topUp(1_000_00);
        atol.registerForeign(
                r.externalId(),
                "sell",
                tools.jackson.databind.json.JsonMapper.shared()
                        .readTree("{\"receipt\":{\"total\":1.00,\"items\":[],\"payments\":[]}}"));
        fiscalise();
        assertThat(receipts.get(r.id()).state()).isEqualTo(ReceiptState.FAILED);

        receipts.resend(r.id(), "user:olga", "ours was never registered");
        fiscalise();

        Receipt done = receipts.get(r.id());
        assertThat(done.state()).isEqualTo(ReceiptState.DONE);
        assertThat(done.externalId()).isEqualTo(r.externalId() + "-2");
        assertThat(sent(done).path("total").decimalValue()).isEqualByComparingTo("1000.00");
    }

    @Test
    void theBacklogCountsUnfinishedReceiptsPerStateAndListsStoppedOnesWithTheirReasons() {
        var before = backlog.byState();
        Receipt failed = topUp(1_000_00);
        atol.failNextReceipts(1, "Ошибка ФН");
        fiscalise();
        topUp(2_000_00); // pending: not pushed yet
        topUp(3_000_00);

        var after = backlog.byState();

        assertThat(after)
                .extracting(FiscalBacklog.StateCount::state)
                .containsExactly(ReceiptState.PENDING, ReceiptState.WAITING, ReceiptState.FAILED, ReceiptState.INVALID);
        assertThat(after.get(0).count() - before.get(0).count()).isEqualTo(2);
        assertThat(after.get(2).count() - before.get(2).count()).isEqualTo(1);
        assertThat(after.get(0).oldestAt()).isNotNull();
        List<FiscalBacklog.StoppedReceipt> stopped = new ArrayList<>();
        long after0 = 0;
        for (var page = backlog.stopped(0, 2); !page.isEmpty(); page = backlog.stopped(after0, 2)) {
            stopped.addAll(page);
            after0 = page.getLast().receiptId();
        }
        assertThat(stopped)
                .filteredOn(s -> s.receiptId() == failed.id())
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.state()).isEqualTo(ReceiptState.FAILED);
                    assertThat(s.reason()).contains("Ошибка ФН");
                    assertThat(s.total()).isEqualTo(Money.rub(1_000_00));
                    assertThat(s.kind()).isEqualTo(ReceiptKind.SELL);
                });
        assertThat(stopped).extracting(FiscalBacklog.StoppedReceipt::state).doesNotContain(ReceiptState.DONE);
    }

    @Test
    void theUnfiscalizedAreListedOldestFirstPageByPage() {
        Receipt pending = topUp(4_000_00);
        Payment noReceiptYet = payments.topUp(buyer(), Money.rub(5_000_00), "PP-" + UUID.randomUUID());

        List<FiscalBacklog.Unfiscalized> all = new ArrayList<>();
        FiscalBacklog.Position at = null;
        for (var page = backlog.unfiscalized(null, 3); !page.isEmpty(); page = backlog.unfiscalized(at, 3)) {
            all.addAll(page);
            at = new FiscalBacklog.Position(
                    page.getLast().createdAt(), page.getLast().eventKey());
        }

        assertThat(all).extracting(FiscalBacklog.Unfiscalized::eventKey).doesNotHaveDuplicates();
        assertThat(all)
                .extracting(FiscalBacklog.Unfiscalized::createdAt)
                .isSortedAccordingTo(java.util.Comparator.naturalOrder());
        assertThat(all)
                .filteredOn(u -> u.eventKey().equals(pending.eventKey()))
                .singleElement()
                .satisfies(u -> {
                    assertThat(u.receiptState()).isEqualTo(ReceiptState.PENDING);
                    assertThat(u.amount()).isEqualTo(Money.rub(4_000_00));
                    assertThat(u.operation()).isEqualTo("payment");
                });
        assertThat(all)
                .filteredOn(u -> u.paymentId() == noReceiptYet.id())
                .singleElement()
                .satisfies(u -> assertThat(u.receiptState()).isNull());
        consumer.poll();
        fiscalise();
        assertThat(backlog.unfiscalized(null, 100_000))
                .extracting(FiscalBacklog.Unfiscalized::paymentId)
                .doesNotContain(noReceiptYet.id());
    }

    @org.springframework.beans.factory.annotation.Autowired
    FiscalBacklog backlog;
}

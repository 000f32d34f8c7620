package io.kopek.fiscal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.billing.Invoice;
import io.kopek.billing.Payment;
import io.kopek.customer.CustomerType;
import io.kopek.customer.NewCustomer;
import io.kopek.fiscal.FiscalEvents.ReceiptDone;
import io.kopek.money.Money;
import io.kopek.outbox.Outbox;
import io.kopek.outbox.OutboxEvent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A receipt the status poller finds done is announced as {@code fiscal.receipt_done} with its fiscal attributes,
 * once, however often the operator's answer comes; an exempt receipt is not done and is never announced.
 */
class ReceiptDoneEventTest extends FiscalTest {

    @Autowired
    Outbox outbox;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void aReceiptTheOperatorReportsDoneIsAnnouncedOnceWithItsFiscalAttributes() {
        long customer = buyer();
        Invoice invoice = invoice(customer, product("Хостинг, месяц", 1_500_00), 2);
        Payment payment = payments.recordBankTransfer(invoice.id(), invoice.total(), "PP-300");

        fiscalise();
        poller.poll();

        Receipt r = receipt("payment:" + payment.id() + ":sell");
        assertThat(r.state()).isEqualTo(ReceiptState.DONE);
        List<OutboxEvent> events = doneEvents(r.id());
        assertThat(events).hasSize(1);
        FiscalAttributes a = r.attributes();
        assertThat(Outbox.payload(events.getFirst(), ReceiptDone.class))
                .isEqualTo(new ReceiptDone(
                        r.id(),
                        r.eventKey(),
                        ReceiptKind.SELL,
                        invoice.total().minor(),
                        "RUB",
                        invoice.id(),
                        payment.id(),
                        null,
                        customer,
                        a.fnNumber(),
                        a.fiscalDocumentNumber(),
                        a.fiscalDocumentAttribute(),
                        a.fiscalReceiptNumber(),
                        a.registeredAt()));
        assertThat(events.getFirst().payload().get("kind")).isEqualTo("sell");
        assertThat(events.getFirst().payload().containsKey("refundId"))
                .as("refundId left out")
                .isFalse();
        assertThat(a.fnNumber()).isNotBlank();
        assertThat(a.registeredAt()).isNotNull();
    }

    @Test
    void aRepeatedDoneAnswerForTheSameReceiptAnnouncesNothingMore() {
        Receipt waiting = waitingTopUp();
        OperatorReport report = operator.report(waiting.operatorUuid());
        assertThat(report.status()).isEqualTo(OperatorReport.Status.DONE);

        // Two workers with the same answer for the same receipt (a claim taken again after its lease, a retried
        // pass): the first stores it, the second finds the receipt done already.
        Boolean first = transactions.execute(s -> receipts.done(waiting, report.attributes(), clock.instant()));
        Boolean second = transactions.execute(s -> receipts.done(waiting, report.attributes(), clock.instant()));
        poller.poll();

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(receipts.get(waiting.id()).state()).isEqualTo(ReceiptState.DONE);
        List<OutboxEvent> events = doneEvents(waiting.id());
        assertThat(events).hasSize(1);
        ReceiptDone done = Outbox.payload(events.getFirst(), ReceiptDone.class);
        assertThat(done.invoiceId()).as("a top-up has no invoice").isNull();
        assertThat(done.paymentId()).isEqualTo(waiting.paymentId());
        assertThat(events.getFirst().payload().containsKey("invoiceId"))
                .as("invoiceId left out")
                .isFalse();
    }

    @Test
    void anExemptReceiptIsNeverAnnouncedAsDone() {
        long organisation = customers
                .create(new NewCustomer(CustomerType.COMPANY, "ООО Ромашка", "buh@romashka.ru", null, "7700000001"))
                .id();
        Invoice invoice = invoice(organisation, product("Хостинг", 1_000_00), 1);
        Payment payment = payments.recordBankTransfer(invoice.id(), invoice.total(), "PP-310");

        fiscalise();
        poller.poll();

        Receipt r = receipt("payment:" + payment.id() + ":sell");
        assertThat(r.state()).isEqualTo(ReceiptState.EXEMPT);
        assertThat(doneEvents(r.id())).isEmpty();
    }

    /** A top-up's receipt the operator has accepted and registered, not yet polled. */
    private Receipt waitingTopUp() {
        Payment topUp = payments.topUp(buyer(), Money.rub(2_000_00), "PP-320-" + java.util.UUID.randomUUID());
        consumer.poll();
        pusher.push();
        Receipt r = receipt("payment:" + topUp.id() + ":sell");
        assertThat(r.state()).isEqualTo(ReceiptState.WAITING);
        return r;
    }

    private List<OutboxEvent> doneEvents(long receiptId) {
        return jdbc
                .sql("select id from outbox_event where type = 'fiscal.receipt_done' and aggregate_id = ?"
                        + " order by id")
                .param(String.valueOf(receiptId))
                .query(Long.class)
                .list()
                .stream()
                .map(id -> outbox.after(id - 1, 1).getFirst())
                .toList();
    }
}

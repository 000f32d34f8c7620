package io.kopek.fiscal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.billing.Invoice;
import io.kopek.billing.Payment;
import io.kopek.billing.Refund;
import io.kopek.money.Money;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The daily check lists paid and refunded money without a done receipt, and only that. */
class UnfiscalizedCheckTest extends FiscalTest {

    @Autowired
    UnfiscalizedCheck check;

    @Test
    void aPaymentAndARefundWithoutADoneReceiptAreListedAndAlertedUntilFiscalised() {
        long customer = buyer();
        Invoice invoice = invoice(customer, product("Хостинг", 2_000_00), 1);
        Payment payment = payments.recordBankTransfer(invoice.id(), invoice.total(), "PP-U1");
        Refund refund = payments.refund(invoice.id(), payment.id(), Money.rub(500_00), "partial");
        String sell = "payment:" + payment.id() + ":sell";
        String sellRefund = "refund:" + refund.id() + ":sell_refund";

        List<UnfiscalizedCheck.Unfiscalized> before = check.run(Duration.ZERO);
        assertThat(before)
                .filteredOn(u -> u.invoiceId() != null && u.invoiceId() == invoice.id())
                .extracting(UnfiscalizedCheck.Unfiscalized::eventKey)
                .containsExactly(sell, sellRefund);
        assertThat(jdbc.sql("select count(*) from outbox_event where type = 'fiscal.unfiscalized'"
                                + " and payload->'eventKeys' @> jsonb_build_array(:key)")
                        .param("key", sell)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);

        fiscalise();

        assertThat(check.run(Duration.ZERO))
                .extracting(UnfiscalizedCheck.Unfiscalized::eventKey)
                .doesNotContain(sell, sellRefund);
    }

    @Test
    void moneyWithinTheGracePeriodIsNotYetReported() {
        Payment topUp = payments.topUp(buyer(), Money.rub(700_00), "PP-U2");

        assertThat(check.run(Duration.ofHours(1)))
                .extracting(UnfiscalizedCheck.Unfiscalized::paymentId)
                .doesNotContain(topUp.id());
        assertThat(check.run(Duration.ZERO))
                .extracting(UnfiscalizedCheck.Unfiscalized::paymentId)
                .contains(topUp.id());
    }
}

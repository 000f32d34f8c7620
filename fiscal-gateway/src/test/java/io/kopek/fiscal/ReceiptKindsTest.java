package io.kopek.fiscal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.billing.Invoice;
import io.kopek.billing.Payment;
import io.kopek.billing.Refund;
import io.kopek.customer.CustomerType;
import io.kopek.customer.NewCustomer;
import io.kopek.money.Money;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Each kind of fiscal event becomes its receipt, registered by the operator with fiscal attributes. */
class ReceiptKindsTest extends FiscalTest {

    @org.springframework.beans.factory.annotation.Autowired
    UnfiscalizedCheck unfiscalized;

    @Test
    void anInvoicePaidByBankTransferIsASellInFullWithItsLinesAndFiscalAttributes() {
        long customer = buyer();
        long hosting = product("Хостинг, месяц", 1_500_00);
        long domain = product("Домен .ru", 333_33);
        Invoice invoice = invoice(customer, hosting, 2, domain, 3);
        Payment payment = payments.recordBankTransfer(invoice.id(), invoice.total(), "PP-100");

        fiscalise();

        Receipt r = receipt("payment:" + payment.id() + ":sell");
        assertThat(r.kind()).isEqualTo(ReceiptKind.SELL);
        assertThat(r.state()).isEqualTo(ReceiptState.DONE);
        assertThat(r.invoiceId()).isEqualTo(invoice.id());
        assertThat(r.attributes().fnNumber()).hasSize(16);
        assertThat(r.attributes().fiscalDocumentNumber()).isPositive();
        assertThat(r.attributes().fiscalDocumentAttribute()).isNotBlank();
        assertThat(r.attributes().fnsSite()).isEqualTo("www.nalog.gov.ru");
        assertThat(r.attributes().registeredAt()).isNotNull();
        assertThat(receipts.ofInvoice(invoice.id())).extracting(Receipt::id).containsExactly(r.id());

        assertThat(atol.operationOf(externalId(r))).isEqualTo("sell");
        JsonNode sent = sent(r);
        assertThat(sent.path("items")).hasSize(2);
        assertThat(sent.path("items").findValuesAsString("payment_method")).containsOnly("full_payment");
        assertThat(sent.path("payments")).hasSize(1);
        assertThat(sent.path("payments").get(0).path("type").asInt()).isEqualTo(1);
        assertThat(sent.path("total").decimalValue()).isEqualByComparingTo(rubles(invoice.total()));
        assertThat(sent.path("client").path("email").asString()).isEqualTo("buyer@example.ru");
        assertThat(sent.path("company").path("inn").asString()).isEqualTo("5544332219");
        assertThat(sent.path("company").path("sno").asString()).isEqualTo("osn");
    }

    @Test
    void anInvoicePaidInTwoTransfersIsAPrepaymentThenTheHandoverThatOffsetsIt() {
        long customer = buyer();
        Invoice invoice = invoice(customer, product("Хостинг", 1_000_00), 1, product("Домен", 500_00), 1);
        Payment first = payments.recordBankTransfer(invoice.id(), Money.rub(1_000_01), "PP-110");
        Payment second = payments.recordBankTransfer(invoice.id(), Money.rub(499_99), "PP-111");

        fiscalise();

        Receipt a = receipt("payment:" + first.id() + ":sell");
        Receipt b = receipt("payment:" + second.id() + ":sell");
        assertThat(List.of(a.state(), b.state())).containsOnly(ReceiptState.DONE);
        // Before handover: a prepayment of each line's share, VAT at the calculated rate.
        JsonNode prepayment = sent(a);
        assertThat(prepayment.path("items").findValuesAsString("payment_method"))
                .containsOnly("prepayment");
        assertThat(prepayment.path("items").findValuesAsString("type")).containsOnly("vat122");
        assertThat(a.document().items()).extracting(ReceiptDocument.Item::sum).containsExactly(666_67L, 333_34L);
        assertThat(prepayment.path("total").decimalValue()).isEqualByComparingTo("1000.01");
        // The payment that completes the invoice is the handover: the whole invoice in full, the prepayment offset.
        JsonNode handover = sent(b);
        assertThat(handover.path("items").findValuesAsString("payment_method")).containsOnly("full_payment");
        assertThat(handover.path("items").findValuesAsString("type")).containsOnly("vat22");
        assertThat(handover.path("total").decimalValue()).isEqualByComparingTo("1500.00");
        assertThat(payments(handover)).containsExactly("1=499.99", "2=1000.01");
    }

    @Test
    void anInvoiceHandedOverAtTheFirstPaymentIsAPartialPaymentOnCreditThenPaymentsOfTheCredit() {
        instalments();
        long customer = buyer();
        Invoice invoice = invoice(customer, product("Ноутбук", 90_000_00), 1);
        Payment first = payments.recordBankTransfer(invoice.id(), Money.rub(30_000_00), "PP-120");
        Payment second = payments.recordBankTransfer(invoice.id(), Money.rub(30_000_00), "PP-121");

        fiscalise();

        JsonNode handover = sent(receipt("payment:" + first.id() + ":sell"));
        JsonNode item = handover.path("items").get(0);
        assertThat(item.path("payment_method").asString()).isEqualTo("partial_payment");
        assertThat(item.path("payment_object").asInt()).isEqualTo(1);
        assertThat(item.path("sum").decimalValue()).isEqualByComparingTo("90000.00");
        assertThat(item.path("vat").path("type").asString()).isEqualTo("vat22");
        assertThat(payments(handover)).containsExactly("1=30000.00", "3=60000.00");
        JsonNode credit = sent(receipt("payment:" + second.id() + ":sell"));
        assertThat(credit.path("items").get(0).path("payment_method").asString())
                .isEqualTo("credit_payment");
        assertThat(credit.path("items").get(0).path("payment_object").asInt()).isEqualTo(10);
        assertThat(credit.path("total").decimalValue()).isEqualByComparingTo("30000.00");
        assertThat(payments(credit)).containsExactly("1=30000.00");
    }

    @Test
    void anInvoiceHandedOverAtTheFirstPaymentAndPaidInFullIsAFullPayment() {
        instalments();
        long customer = buyer();
        Invoice invoice = invoice(customer, product("Ноутбук", 90_000_00), 1);
        Payment payment = payments.recordBankTransfer(invoice.id(), invoice.total(), "PP-130");

        fiscalise();

        JsonNode sent = sent(receipt("payment:" + payment.id() + ":sell"));
        assertThat(sent.path("items").get(0).path("payment_method").asString()).isEqualTo("full_payment");
        assertThat(payments(sent)).containsExactly("1=90000.00");
    }

    @Test
    void aBankTransferByAnOrganisationGetsNoReceiptAndIsNotMissing() {
        long organisation = customers
                .create(new NewCustomer(CustomerType.COMPANY, "ООО Ромашка", "buh@romashka.ru", null, "7700000001"))
                .id();
        Invoice invoice = invoice(organisation, product("Хостинг", 1_000_00), 1);
        Payment payment = payments.recordBankTransfer(invoice.id(), invoice.total(), "PP-140");
        Payment topUp = payments.topUp(organisation, Money.rub(5_000_00), "PP-141");

        fiscalise();

        for (Payment p : List.of(payment, topUp)) {
            Receipt r = receipt("payment:" + p.id() + ":sell");
            assertThat(r.state()).isEqualTo(ReceiptState.EXEMPT);
            assertThat(r.exemption()).contains("54-FZ art. 2 p. 9");
            assertThat(atol.registered(externalId(r))).isNull();
        }
        assertThat(unfiscalized.run(java.time.Duration.ZERO))
                .extracting(UnfiscalizedCheck.Unfiscalized::paymentId)
                .doesNotContain(payment.id(), topUp.id());
    }

    @Test
    void everyReceiptOfAnOnlineSettlementSaysSoUnlessTheMerchantSellsOffline() {
        long customer = buyer();
        Invoice online = invoice(customer, product("Хостинг", 1_000_00), 1);
        Payment paid = payments.recordBankTransfer(online.id(), online.total(), "PP-150");

        offlineMerchant();
        Invoice offline = invoice(customer, product("Хостинг", 1_000_00), 1);
        Payment atTheTill = payments.recordBankTransfer(offline.id(), offline.total(), "PP-151");

        fiscalise();

        assertThat(sent(receipt("payment:" + paid.id() + ":sell"))
                        .path("internet")
                        .asBoolean())
                .isTrue();
        assertThat(sent(receipt("payment:" + atTheTill.id() + ":sell")).has("internet"))
                .isFalse();
    }

    @Test
    void aTopUpIsASellOfAnAdvanceAtTheCalculatedRate() {
        long customer = buyer();
        Payment topUp = payments.topUp(customer, Money.rub(10_000_00), "PP-200");

        fiscalise();

        Receipt r = receipt("payment:" + topUp.id() + ":sell");
        assertThat(r.state()).isEqualTo(ReceiptState.DONE);
        assertThat(r.invoiceId()).isNull();
        JsonNode item = sent(r).path("items").get(0);
        assertThat(item.path("payment_method").asString()).isEqualTo("advance");
        assertThat(item.path("payment_object").asInt()).isEqualTo(10);
        // Topped up today, after 2026-01-01: 22/122 of 10 000.00 = 1 803.28 (1803.2786...)
        assertThat(item.path("vat").path("type").asString()).isEqualTo("vat122");
        assertThat(item.path("vat").path("sum").decimalValue()).isEqualByComparingTo("1803.28");
        assertThat(sent(r).path("total").decimalValue()).isEqualByComparingTo("10000.00");
    }

    @Test
    void anInvoicePaidFromTheBalanceIsASellWhosePaymentIsTheOffsetOfTheAdvance() {
        long customer = buyer();
        payments.topUp(customer, Money.rub(5_000_00), "PP-300");
        Invoice invoice = invoice(customer, product("Подписка", 1_200_00), 1);
        Payment payment = payments.payFromBalance(invoice.id(), invoice.total());

        fiscalise();

        Receipt r = receipt("payment:" + payment.id() + ":sell");
        assertThat(r.state()).isEqualTo(ReceiptState.DONE);
        JsonNode sent = sent(r);
        assertThat(sent.path("items").get(0).path("payment_method").asString()).isEqualTo("full_payment");
        assertThat(sent.path("items").get(0).path("vat").path("type").asString())
                .isEqualTo("vat22");
        assertThat(sent.path("payments").get(0).path("type").asInt()).isEqualTo(2);
        assertThat(sent.path("payments").get(0).path("sum").decimalValue()).isEqualByComparingTo("1200.00");
    }

    @Test
    void aRefundIsASellRefundOfTheRefundedShareToTheKopeck() {
        long customer = buyer();
        Invoice invoice = invoice(customer, product("Хостинг", 1_000_00), 1, product("Домен", 500_00), 1);
        Payment payment = payments.recordBankTransfer(invoice.id(), invoice.total(), "PP-400");
        Refund refund = payments.refund(invoice.id(), payment.id(), Money.rub(100_01), "goodwill");

        fiscalise();

        Receipt r = receipt("refund:" + refund.id() + ":sell_refund");
        assertThat(r.kind()).isEqualTo(ReceiptKind.SELL_REFUND);
        assertThat(r.state()).isEqualTo(ReceiptState.DONE);
        assertThat(r.refundId()).isEqualTo(refund.id());
        assertThat(atol.operationOf(externalId(r))).isEqualTo("sell_refund");
        JsonNode sent = sent(r);
        assertThat(sent.path("total").decimalValue()).isEqualByComparingTo("100.01");
        List<BigDecimal> sums = sent.path("items")
                .valueStream()
                .map(item -> item.path("sum").decimalValue())
                .toList();
        assertThat(sums.stream().reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo("100.01");
        assertThat(sent.path("payments").get(0).path("type").asInt()).isEqualTo(1);
    }

    @Test
    void cardMoneyKeptOnTheBalanceAndSentBackToTheCardIsARefundOfTheAdvance() {
        long customer = buyer();
        Invoice invoice = invoice(customer, product("Хостинг", 600_00), 1);
        invoicing.cancel(invoice.id());
        String run = java.util.UUID.randomUUID().toString();
        Payment late = payments.recordCardPayment(invoice.id(), Money.rub(600_00), "acme", "acme-" + run);
        Refund refund = payments.recordCardRefund(invoice.id(), late.id(), Money.rub(600_00), "back to the card");

        fiscalise();

        JsonNode advance =
                sent(receipt("payment:" + late.id() + ":sell")).path("items").get(0);
        assertThat(advance.path("payment_method").asString()).isEqualTo("advance");
        Receipt back = receipt("refund:" + refund.id() + ":sell_refund");
        assertThat(back.state()).isEqualTo(ReceiptState.DONE);
        assertThat(back.invoiceId()).isNull();
        JsonNode item = sent(back).path("items").get(0);
        assertThat(item.path("payment_method").asString()).isEqualTo("advance");
        assertThat(item.path("payment_object").asInt()).isEqualTo(10);
        assertThat(item.path("vat").path("type").asString()).isEqualTo("vat122");
        assertThat(payments(sent(back))).containsExactly("1=600.00");
        assertThat(unfiscalized.run(java.time.Duration.ZERO))
                .extracting(UnfiscalizedCheck.Unfiscalized::eventKey)
                .doesNotContain("refund:" + refund.id() + ":sell_refund");
    }

    @Test
    void aCorrectionReceiptCarriesItsBasisAndIsMadeOncePerKey() {
        long customer = buyer();
        Correction correction = new Correction(
                "act-17",
                customer,
                null,
                List.of(ReceiptDocument.Item.priced(
                        "Хостинг, март",
                        1_234_56,
                        BigDecimal.ONE,
                        ReceiptDocument.MEASURE_PIECE,
                        PaymentMethod.FULL_PAYMENT,
                        PaymentObjects.SERVICE,
                        VatType.VAT22)),
                List.of(new ReceiptDocument.Payment(ReceiptDocument.Payment.ELECTRONIC, 1_234_56)),
                LocalDate.of(2026, 3, 2),
                new ReceiptDocument.CorrectionBasis("self", LocalDate.of(2026, 3, 2), null));

        Receipt made = receipts.correct(correction);
        assertThat(receipts.correct(correction).id()).isEqualTo(made.id());
        fiscalise();

        Receipt r = receipts.get(made.id());
        assertThat(r.kind()).isEqualTo(ReceiptKind.SELL_CORRECTION);
        assertThat(r.state()).isEqualTo(ReceiptState.DONE);
        assertThat(atol.operationOf(externalId(r))).isEqualTo("sell_correction");
        JsonNode sent = sent(r);
        assertThat(sent.path("correction_info").path("type").asString()).isEqualTo("self");
        assertThat(sent.path("correction_info").path("base_date").asString()).isEqualTo("02.03.2026");
        assertThat(sent.path("items").get(0).path("vat").path("sum").decimalValue())
                .isEqualByComparingTo("222.63"); // 1234.56 × 22/122 = 222.6257...
    }

    @Test
    void processingTheSameEventsAgainMakesNoSecondReceipt() {
        long customer = buyer();
        Invoice invoice = invoice(customer, product("Подписка", 990_00), 1);
        Payment payment = payments.recordBankTransfer(invoice.id(), invoice.total(), "PP-500");
        consumer.poll();
        long before = count();
        long position = jdbc.sql("select last_event_id from outbox_consumer")
                .query(Long.class)
                .single();

        jdbc.sql("update outbox_consumer set last_event_id = ?")
                .param(position - 20)
                .update(); // as if lost
        FiscalEventConsumer.Pass again = consumer.poll();

        assertThat(again.events()).isPositive();
        assertThat(again.receipts()).isZero();
        assertThat(count()).isEqualTo(before);
        assertThat(receipt("payment:" + payment.id() + ":sell").state()).isEqualTo(ReceiptState.PENDING);
    }

    long count() {
        return jdbc.sql("select count(*) from receipt").query(Long.class).single();
    }

    static BigDecimal rubles(Money m) {
        return BigDecimal.valueOf(m.minor(), 2);
    }
}

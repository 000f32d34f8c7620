package io.kopek.fiscal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.billing.Invoice;
import io.kopek.billing.Payment;
import io.kopek.billing.Refund;
import io.kopek.money.Money;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Items carry the VAT rate in force on the day of the settlement the receipt records: 20 % (20/120 for advances and
 * prepayments) until 2025-12-31, 22 % (22/122) from 2026-01-01 (425-FZ). Sums and VAT are checked to the kopeck.
 */
class VatByDateTest extends FiscalTest {

    static final Instant LAST_EVENING_OF_2025 = Instant.parse("2025-12-31T20:00:00Z"); // 23:00 in Moscow
    static final Instant FIRST_MORNING_OF_2026 = Instant.parse("2026-01-01T06:00:00Z"); // 09:00 in Moscow

    @Test
    void anInvoiceOf2025PaidIn2026IsSettledAtTwentyTwoPercent() {
        clock.set(LAST_EVENING_OF_2025);
        long customer = buyer();
        Invoice invoice = invoice(customer, product("Хостинг", 1_200_00), 1);
        clock.set(FIRST_MORNING_OF_2026);
        Payment payment = payments.recordBankTransfer(invoice.id(), invoice.total(), "PP-2026");

        fiscalise();

        JsonNode item =
                sent(receipt("payment:" + payment.id() + ":sell")).path("items").get(0);
        assertThat(item.path("payment_method").asString()).isEqualTo("full_payment");
        assertThat(item.path("vat").path("type").asString()).isEqualTo("vat22");
        assertThat(item.path("vat").path("sum").decimalValue()).isEqualByComparingTo("216.39"); // 1200 × 22/122
    }

    @Test
    void anAdvanceOf2025IsAtTwentyOverOneTwentyAndItsOffsetIn2026AtTwentyTwoPercent() {
        clock.set(LAST_EVENING_OF_2025);
        long customer = buyer();
        Payment topUp = payments.topUp(customer, Money.rub(1_200_00), "PP-2025");
        clock.set(FIRST_MORNING_OF_2026);
        Invoice invoice = invoice(customer, product("Хостинг", 1_200_00), 1);
        Payment offset = payments.payFromBalance(invoice.id(), invoice.total());

        fiscalise();

        JsonNode advance =
                sent(receipt("payment:" + topUp.id() + ":sell")).path("items").get(0);
        assertThat(advance.path("payment_method").asString()).isEqualTo("advance");
        assertThat(advance.path("vat").path("type").asString()).isEqualTo("vat120");
        assertThat(advance.path("vat").path("sum").decimalValue()).isEqualByComparingTo("200.00");
        JsonNode settled = sent(receipt("payment:" + offset.id() + ":sell"));
        assertThat(settled.path("items").get(0).path("payment_method").asString())
                .isEqualTo("full_payment");
        assertThat(settled.path("items").get(0).path("vat").path("type").asString())
                .isEqualTo("vat22");
        assertThat(payments(settled)).containsExactly("2=1200.00");
    }

    @Test
    void aPrepaymentOf2025IsAtTwentyOverOneTwentyAndTheHandoverIn2026AtTwentyTwoPercent() {
        clock.set(LAST_EVENING_OF_2025);
        long customer = buyer();
        Invoice invoice = invoice(customer, product("Хостинг", 1_200_00), 1);
        Payment prepayment = payments.recordBankTransfer(invoice.id(), Money.rub(600_00), "PP-A");
        clock.set(FIRST_MORNING_OF_2026);
        Payment rest = payments.recordBankTransfer(invoice.id(), Money.rub(600_00), "PP-B");

        fiscalise();

        JsonNode before = sent(receipt("payment:" + prepayment.id() + ":sell"))
                .path("items")
                .get(0);
        assertThat(before.path("payment_method").asString()).isEqualTo("prepayment");
        assertThat(before.path("vat").path("type").asString()).isEqualTo("vat120");
        assertThat(before.path("vat").path("sum").decimalValue()).isEqualByComparingTo("100.00");
        JsonNode handover = sent(receipt("payment:" + rest.id() + ":sell"));
        assertThat(handover.path("items").get(0).path("payment_method").asString())
                .isEqualTo("full_payment");
        assertThat(handover.path("items").get(0).path("vat").path("type").asString())
                .isEqualTo("vat22");
        assertThat(handover.path("items").get(0).path("sum").decimalValue()).isEqualByComparingTo("1200.00");
        assertThat(payments(handover)).containsExactly("1=600.00", "2=600.00");
    }

    @Test
    void aRefundIn2026OfASaleOf2025CarriesTheSalesTwentyPercent() {
        clock.set(LAST_EVENING_OF_2025);
        long customer = buyer();
        Invoice invoice = invoice(customer, product("Хостинг", 1_200_00), 1);
        Payment payment = payments.recordBankTransfer(invoice.id(), invoice.total(), "PP-C");
        clock.set(FIRST_MORNING_OF_2026);
        Refund refund = payments.refund(invoice.id(), payment.id(), Money.rub(600_00), "goodwill");

        fiscalise();

        JsonNode back = sent(receipt("refund:" + refund.id() + ":sell_refund"));
        assertThat(back.path("items").get(0).path("payment_method").asString()).isEqualTo("full_payment");
        assertThat(back.path("items").get(0).path("vat").path("type").asString())
                .isEqualTo("vat20");
        assertThat(back.path("items").get(0).path("vat").path("sum").decimalValue())
                .isEqualByComparingTo("100.00");
        assertThat(back.path("total").decimalValue()).isEqualByComparingTo("600.00");
    }

    @Test
    void anInvoiceDatedIn2025CarriesTwentyPercentToTheKopeck() {
        clock.set(Instant.parse("2025-12-31T20:00:00Z")); // 23:00 in Moscow, the last day of 20 %
        JsonNode sent = paidAndSent();

        assertThat(invoiceDate).isEqualTo(LocalDate.of(2025, 12, 31));
        JsonNode line = sent.path("items").get(0);
        assertThat(line.path("price").decimalValue()).isEqualByComparingTo("333.33");
        assertThat(line.path("quantity").decimalValue()).isEqualByComparingTo("3");
        assertThat(line.path("sum").decimalValue()).isEqualByComparingTo("999.99");
        assertThat(line.path("vat").path("type").asString()).isEqualTo("vat20");
        assertThat(line.path("vat").path("sum").decimalValue()).isEqualByComparingTo("166.67"); // 166.665
        JsonNode second = sent.path("items").get(1);
        assertThat(second.path("sum").decimalValue()).isEqualByComparingTo("0.07");
        assertThat(second.path("vat").path("sum").decimalValue()).isEqualByComparingTo("0.01"); // 0.01166
        assertThat(sent.path("total").decimalValue()).isEqualByComparingTo("1000.06");
        assertThat(totalVatOnInvoice).isEqualTo(166_67 + 1);
    }

    @Test
    void anInvoiceDatedIn2026CarriesTwentyTwoPercentToTheKopeck() {
        clock.set(Instant.parse("2025-12-31T21:00:00Z")); // midnight in Moscow: 2026-01-01
        JsonNode sent = paidAndSent();

        assertThat(invoiceDate).isEqualTo(LocalDate.of(2026, 1, 1));
        JsonNode line = sent.path("items").get(0);
        assertThat(line.path("sum").decimalValue()).isEqualByComparingTo("999.99");
        assertThat(line.path("vat").path("type").asString()).isEqualTo("vat22");
        assertThat(line.path("vat").path("sum").decimalValue()).isEqualByComparingTo("180.33"); // 180.3260...
        JsonNode second = sent.path("items").get(1);
        assertThat(second.path("vat").path("sum").decimalValue()).isEqualByComparingTo("0.01"); // 0.01262
        assertThat(sent.path("total").decimalValue()).isEqualByComparingTo("1000.06");
        assertThat(totalVatOnInvoice).isEqualTo(180_33 + 1);
    }

    LocalDate invoiceDate;
    long totalVatOnInvoice;

    JsonNode paidAndSent() {
        long customer = buyer();
        Invoice invoice = invoice(customer, product("Домен .ru", 333_33), 3, product("SMS", 7), 1);
        invoiceDate = invoice.issueDate();
        totalVatOnInvoice = invoice.vatTotal().minor();
        Payment payment = payments.recordBankTransfer(invoice.id(), invoice.total(), "PP-" + invoice.number());

        fiscalise();

        Receipt r = receipt("payment:" + payment.id() + ":sell");
        assertThat(r.state()).isEqualTo(ReceiptState.DONE);
        assertThat(r.document().total()).isEqualTo(invoice.total().minor());
        assertThat(r.document().items().stream()
                        .mapToLong(ReceiptDocument.Item::vatSum)
                        .sum())
                .isEqualTo(invoice.vatTotal().minor());
        return sent(r);
    }
}

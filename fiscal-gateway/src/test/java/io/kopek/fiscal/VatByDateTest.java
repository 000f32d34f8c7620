package io.kopek.fiscal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.billing.Invoice;
import io.kopek.billing.Payment;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Items carry the VAT rate in force on the invoice date: 20 % for invoices dated in 2025, 22 % from 2026-01-01.
 * Sums and VAT are checked to the kopeck, and the receipt's total is the invoice's exactly.
 */
class VatByDateTest extends FiscalTest {

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

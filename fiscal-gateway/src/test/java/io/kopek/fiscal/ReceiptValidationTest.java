package io.kopek.fiscal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks every receipt passes before it may leave. */
class ReceiptValidationTest {

    static final ReceiptDocument.Company SHOP =
            new ReceiptDocument.Company("5544332219", TaxSystem.OSN, "shop@example.ru", "https://shop.example");
    static final ReceiptDocument.Client BUYER = new ReceiptDocument.Client("buyer@example.ru", null, null, null);

    static ReceiptDocument sell(LocalDate vatDate, ReceiptDocument.Item... items) {
        long total =
                List.of(items).stream().mapToLong(ReceiptDocument.Item::sum).sum();
        return new ReceiptDocument(
                ReceiptKind.SELL,
                SHOP,
                BUYER,
                List.of(items),
                List.of(new ReceiptDocument.Payment(ReceiptDocument.Payment.ELECTRONIC, total)),
                total,
                "RUB",
                vatDate,
                null);
    }

    static ReceiptDocument.Item item(long price, String quantity, VatType vat) {
        return ReceiptDocument.Item.priced(
                "Услуга",
                price,
                new BigDecimal(quantity),
                ReceiptDocument.MEASURE_PIECE,
                vat.calculated() ? PaymentMethod.FULL_PREPAYMENT : PaymentMethod.FULL_PAYMENT,
                ReceiptDocument.OBJECT_SERVICE,
                vat);
    }

    @Test
    void aCorrectReceiptHasNoProblems() {
        ReceiptDocument r =
                sell(LocalDate.of(2026, 2, 1), item(333_33, "3", VatType.VAT22), item(7, "1", VatType.VAT22));

        assertThat(ReceiptValidation.problems(r, 1_000_06)).isEmpty();
    }

    @Test
    void theStandardRateMustBeTheOneInForceOnTheVatDate() {
        assertThat(ReceiptValidation.problems(sell(LocalDate.of(2026, 1, 1), item(100_00, "1", VatType.VAT20)), 100_00))
                .containsExactly("item 1: vat20 is not the rate in force on 2026-01-01");
        assertThat(ReceiptValidation.problems(
                        sell(LocalDate.of(2025, 12, 31), item(100_00, "1", VatType.VAT22)), 100_00))
                .containsExactly("item 1: vat22 is not the rate in force on 2025-12-31");
    }

    @Test
    void aTotalThatIsNotTheMoneyReceivedIsRefusedToTheKopeck() {
        assertThat(ReceiptValidation.problems(
                        sell(LocalDate.of(2026, 2, 1), item(999_99, "1", VatType.VAT22)), 1_000_00))
                .containsExactly("total 999.99 is not the 1000.00 received");
    }

    @Test
    void anItemSumOrVatThatDoesNotAddUpIsRefused() {
        ReceiptDocument.Item good = item(333_33, "3", VatType.VAT22);
        ReceiptDocument.Item wrong = new ReceiptDocument.Item(
                good.name(),
                good.price(),
                good.quantity(),
                good.measure(),
                1_000_00,
                good.paymentMethod(),
                good.paymentObject(),
                good.vat(),
                180_00);

        assertThat(ReceiptValidation.problems(sell(LocalDate.of(2026, 2, 1), wrong), 1_000_00))
                .containsExactly(
                        "item 1: sum 1000.00 is not price × quantity = 999.99",
                        "item 1: VAT 180.00 is not vat22 of 1000.00 = 180.33");
    }

    @Test
    void aCalculatedRateGoesOnlyWithAnAdvance() {
        ReceiptDocument.Item advanceRateOnSale = new ReceiptDocument.Item(
                "Услуга",
                100_00,
                BigDecimal.ONE,
                0,
                100_00,
                PaymentMethod.FULL_PAYMENT,
                4,
                VatType.VAT122,
                VatType.VAT122.includedIn(100_00));

        assertThat(ReceiptValidation.problems(sell(LocalDate.of(2026, 2, 1), advanceRateOnSale), 100_00))
                .singleElement()
                .asString()
                .contains("calculated rates are for advances");
    }

    @Test
    void aReceiptWithoutTheBuyersContactsIsRefused() {
        ReceiptDocument r = sell(LocalDate.of(2026, 2, 1), item(100_00, "1", VatType.VAT22));
        ReceiptDocument anonymous = new ReceiptDocument(
                r.kind(),
                r.company(),
                new ReceiptDocument.Client(null, " ", "ООО Ромашка", "7700000001"),
                r.items(),
                r.payments(),
                r.total(),
                r.currency(),
                r.vatDate(),
                null);

        assertThat(ReceiptValidation.problems(anonymous, 100_00)).containsExactly("client e-mail or phone is required");
    }
}

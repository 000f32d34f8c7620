package io.kopek.fiscal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
                null,
                true);
    }

    static ReceiptDocument.Item item(long price, String quantity, VatType vat) {
        return ReceiptDocument.Item.priced(
                "Услуга",
                price,
                new BigDecimal(quantity),
                ReceiptDocument.MEASURE_PIECE,
                vat.calculated() ? PaymentMethod.FULL_PREPAYMENT : PaymentMethod.FULL_PAYMENT,
                PaymentObjects.SERVICE,
                vat);
    }

    static ReceiptValidation.Settlement paid(long amount) {
        return ReceiptValidation.Settlement.paid(amount);
    }

    @Test
    void paymentObjectsTheOperatorRefusesAreRefusedHereToo() {
        // ATOL Online v5 (protocol 3.12) accepts payment objects 1-27 and 30-33: 28 and 29 are refused.
        for (int object : new int[] {0, 28, 29, 34}) {
            ReceiptDocument.Item good = item(100_00, "1", VatType.VAT22);
            ReceiptDocument.Item refused = new ReceiptDocument.Item(
                    good.name(),
                    good.price(),
                    good.quantity(),
                    good.measure(),
                    good.sum(),
                    good.paymentMethod(),
                    object,
                    good.vat(),
                    good.vatSum());
            assertThat(ReceiptValidation.problems(sell(LocalDate.of(2026, 2, 1), refused), paid(100_00)))
                    .as("payment object %d", object)
                    .containsExactly(
                            "item 1: payment object " + object + " is not one ATOL Online v5 accepts (1-27, 30-33)");
        }
        for (int object : new int[] {1, 27, 30, 33}) {
            assertThat(PaymentObjects.accepted(object))
                    .as("payment object %d", object)
                    .isTrue();
        }
    }

    @Test
    void aCategoryWithAPaymentObjectTheOperatorRefusesStopsTheStart() {
        assertThatThrownBy(() -> new FiscalProperties.Category(28, Handover.AT_FULL_PAYMENT)
                        .check("kopek.fiscal.categories.books"))
                .hasMessageContaining("kopek.fiscal.categories.books.payment-object 28 is not a payment object");
    }

    @Test
    void aReceiptDeclaresTheMoneyReceivedTheOffsetAndTheCreditAsTheEventSays() {
        ReceiptDocument.Item whole = item(1_000_00, "1", VatType.VAT22);
        ReceiptDocument partial = new ReceiptDocument(
                ReceiptKind.SELL,
                SHOP,
                BUYER,
                List.of(whole),
                List.of(
                        new ReceiptDocument.Payment(ReceiptDocument.Payment.ELECTRONIC, 400_00),
                        new ReceiptDocument.Payment(ReceiptDocument.Payment.CREDIT, 600_00)),
                1_000_00,
                "RUB",
                LocalDate.of(2026, 2, 1),
                null,
                true);

        assertThat(ReceiptValidation.problems(partial, new ReceiptValidation.Settlement(400_00, 0, 600_00)))
                .isEmpty();
        assertThat(ReceiptValidation.problems(partial, new ReceiptValidation.Settlement(1_000_00, 0, 0)))
                .containsExactly(
                        "the payments declare 400.00 received, not the 1000.00 received",
                        "the payments leave 600.00 on credit, not 0.00");
    }

    @Test
    void aCorrectReceiptHasNoProblems() {
        ReceiptDocument r =
                sell(LocalDate.of(2026, 2, 1), item(333_33, "3", VatType.VAT22), item(7, "1", VatType.VAT22));

        assertThat(ReceiptValidation.problems(r, paid(1_000_06))).isEmpty();
    }

    @Test
    void theStandardRateMustBeTheOneInForceOnTheVatDate() {
        assertThat(ReceiptValidation.problems(
                        sell(LocalDate.of(2026, 1, 1), item(100_00, "1", VatType.VAT20)), paid(100_00)))
                .containsExactly("item 1: vat20 is not the rate in force on 2026-01-01");
        assertThat(ReceiptValidation.problems(
                        sell(LocalDate.of(2025, 12, 31), item(100_00, "1", VatType.VAT22)), paid(100_00)))
                .containsExactly("item 1: vat22 is not the rate in force on 2025-12-31");
    }

    @Test
    void aTotalThatIsNotTheMoneyReceivedIsRefusedToTheKopeck() {
        assertThat(ReceiptValidation.problems(
                        sell(LocalDate.of(2026, 2, 1), item(999_99, "1", VatType.VAT22)), paid(1_000_00)))
                .containsExactly(
                        "the payments declare 999.99 received, not the 1000.00 received",
                        "total 999.99 is not the 1000.00 settled");
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

        assertThat(ReceiptValidation.problems(sell(LocalDate.of(2026, 2, 1), wrong), paid(1_000_00)))
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

        assertThat(ReceiptValidation.problems(sell(LocalDate.of(2026, 2, 1), advanceRateOnSale), paid(100_00)))
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
                null,
                true);

        assertThat(ReceiptValidation.problems(anonymous, paid(100_00)))
                .containsExactly("client e-mail or phone is required");
    }
}

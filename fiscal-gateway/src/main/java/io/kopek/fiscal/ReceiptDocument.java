package io.kopek.fiscal;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * A 54-FZ receipt as FFD 1.2 describes it, independent of any operator's wire format. Amounts are kopecks of
 * {@code currency} (always RUB on a Russian receipt). {@code vatDate} is the day whose VAT rates the items carry
 * (the day of the settlement the receipt records); it is checked, not sent. {@code internet} is tag 1125, a
 * settlement made over the internet.
 */
public record ReceiptDocument(
        ReceiptKind kind,
        Company company,
        Client client,
        List<Item> items,
        List<Payment> payments,
        long total,
        String currency,
        LocalDate vatDate,
        CorrectionBasis correction,
        boolean internet) {

    /** The seller (FFD: ИНН пользователя, СНО, адрес электронной почты отправителя, место расчётов). */
    public record Company(String inn, TaxSystem sno, String email, String paymentAddress) {}

    /** The buyer: an e-mail or a phone is required for a sale over the internet; name and INN for organisations. */
    public record Client(String email, String phone, String name, String inn) {}

    /**
     * One item: {@code sum} = {@code price} × {@code quantity} rounded to the kopeck; {@code vatSum} the VAT it
     * contains at {@code vat}. {@code measure} and {@code paymentObject} are the FFD 1.2 codes (tags 2108, 1212).
     */
    public record Item(
            String name,
            long price,
            BigDecimal quantity,
            int measure,
            long sum,
            PaymentMethod paymentMethod,
            int paymentObject,
            VatType vat,
            long vatSum) {

        /** An item whose sum (price × quantity, half up) and VAT are computed here. */
        public static Item priced(
                String name,
                long price,
                BigDecimal quantity,
                int measure,
                PaymentMethod paymentMethod,
                int paymentObject,
                VatType vat) {
            long sum = BigDecimal.valueOf(price)
                    .multiply(quantity)
                    .setScale(0, java.math.RoundingMode.HALF_UP)
                    .longValueExact();
            return new Item(
                    name, price, quantity, measure, sum, paymentMethod, paymentObject, vat, vat.includedIn(sum));
        }
    }

    /**
     * A payment by type (0 cash, 1 electronic, 2 prepayment i.e. offset of an advance or prepayment received
     * earlier, 3 credit i.e. what is left to pay later, 4 other).
     */
    public record Payment(int type, long sum) {
        public static final int CASH = 0;
        public static final int ELECTRONIC = 1;
        public static final int PREPAID = 2;
        public static final int CREDIT = 3;
    }

    /** Why a correction is made: on one's own ({@code self}) or by a tax authority's order ({@code instruction}). */
    public record CorrectionBasis(String type, LocalDate baseDate, String baseNumber) {}

    /** FFD 1.2 measure code of a piece (tag 2108). */
    public static final int MEASURE_PIECE = 0;
}

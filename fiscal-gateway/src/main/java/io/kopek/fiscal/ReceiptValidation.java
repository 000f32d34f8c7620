package io.kopek.fiscal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The checks a receipt passes before it may leave: what FFD 1.2 and the operator require, to the kopeck, and that
 * its total is exactly the money of the event it records. A receipt with any problem is never sent.
 */
final class ReceiptValidation {

    private static final Set<Integer> MEASURES =
            Set.of(0, 10, 11, 12, 20, 21, 22, 30, 31, 32, 40, 41, 42, 50, 51, 70, 71, 72, 73, 80, 81, 82, 83, 255);
    private static final BigDecimal MAX_QUANTITY = new BigDecimal("99999999");
    private static final Set<PaymentMethod> PREPAYMENTS =
            EnumSet.of(PaymentMethod.FULL_PREPAYMENT, PaymentMethod.PREPAYMENT, PaymentMethod.ADVANCE);

    private ReceiptValidation() {}

    /**
     * The money a receipt must declare, by payment type, as the event it records says: {@code paid} is money received
     * now (electronic: card or bank), {@code offset} the advances and prepayments received earlier and settled by
     * this receipt (payment type 2), {@code credit} what is left to pay later (type 3). The receipt's payments must
     * be exactly these: a receipt never declares money that was not received.
     */
    record Settlement(long paid, long offset, long credit) {

        static Settlement paid(long amount) {
            return new Settlement(amount, 0, 0);
        }

        static Settlement offset(long amount) {
            return new Settlement(0, amount, 0);
        }

        long total() {
            return paid + offset + credit;
        }

        /**
         * What a payment of {@code amount} by {@code payment}'s method settles: money received now, or, from the
         * prepaid balance, the offset of the advance received earlier.
         */
        static Settlement of(io.kopek.billing.Payment payment, long amount) {
            return payment.method() == io.kopek.billing.Payment.Method.BALANCE ? offset(amount) : paid(amount);
        }

        /** The receipt's payments: the money received now (electronic: card or bank), the offset, the credit. */
        List<ReceiptDocument.Payment> payments() {
            List<ReceiptDocument.Payment> payments = new ArrayList<>();
            if (paid > 0) {
                payments.add(new ReceiptDocument.Payment(ReceiptDocument.Payment.ELECTRONIC, paid));
            }
            if (offset > 0) {
                payments.add(new ReceiptDocument.Payment(ReceiptDocument.Payment.PREPAID, offset));
            }
            if (credit > 0) {
                payments.add(new ReceiptDocument.Payment(ReceiptDocument.Payment.CREDIT, credit));
            }
            return payments;
        }
    }

    /** What is wrong with the receipt; empty when it may be sent. {@code expected} is null for a correction. */
    static List<String> problems(ReceiptDocument r, Settlement expected) {
        List<String> problems = new ArrayList<>();
        if (!"RUB".equals(r.currency())) {
            problems.add("a receipt is in roubles, not " + r.currency());
        }
        company(r.company(), problems);
        client(r.client(), problems);
        if (r.kind() == ReceiptKind.SELL_CORRECTION) {
            correction(r.correction(), problems);
        } else if (r.correction() != null) {
            problems.add("only a correction receipt has a correction basis");
        }
        long items = items(r, problems);
        long payments = 0;
        long[] byType = new long[10];
        if (r.payments() == null || r.payments().isEmpty() || r.payments().size() > 10) {
            problems.add("a receipt needs 1 to 10 payments");
        } else {
            for (ReceiptDocument.Payment p : r.payments()) {
                if (p.type() < 0 || p.type() > 9) {
                    problems.add("payment type " + p.type() + " is not 0..9");
                } else {
                    byType[p.type()] += p.sum();
                }
                if (p.sum() <= 0) {
                    problems.add("a payment's sum must be positive");
                }
                payments += p.sum();
            }
        }
        if (r.total() != items) {
            problems.add("total " + kopecks(r.total()) + " is not the sum of the items " + kopecks(items));
        }
        if (r.total() != payments) {
            problems.add("total " + kopecks(r.total()) + " is not the sum of the payments " + kopecks(payments));
        }
        if (expected != null) {
            long paid = byType[ReceiptDocument.Payment.CASH] + byType[ReceiptDocument.Payment.ELECTRONIC];
            if (paid != expected.paid()) {
                problems.add("the payments declare " + kopecks(paid) + " received, not the " + kopecks(expected.paid())
                        + " received");
            }
            if (byType[ReceiptDocument.Payment.PREPAID] != expected.offset()) {
                problems.add("the payments offset " + kopecks(byType[ReceiptDocument.Payment.PREPAID])
                        + " of advances and prepayments, not " + kopecks(expected.offset()));
            }
            if (byType[ReceiptDocument.Payment.CREDIT] != expected.credit()) {
                problems.add("the payments leave " + kopecks(byType[ReceiptDocument.Payment.CREDIT])
                        + " on credit, not " + kopecks(expected.credit()));
            }
            if (r.total() != expected.total()) {
                problems.add("total " + kopecks(r.total()) + " is not the " + kopecks(expected.total()) + " settled");
            }
        }
        return problems;
    }

    private static void company(ReceiptDocument.Company c, List<String> problems) {
        if (c == null) {
            problems.add("company is required");
            return;
        }
        if (c.inn() == null || !c.inn().matches("[0-9]{10}|[0-9]{12}")) {
            problems.add("company INN must be 10 or 12 digits");
        }
        if (c.sno() == null) {
            problems.add("company tax system (sno) is required");
        }
        if (blank(c.email())) {
            problems.add("company e-mail is required");
        }
        if (blank(c.paymentAddress())) {
            problems.add("company payment address is required");
        }
    }

    private static void client(ReceiptDocument.Client c, List<String> problems) {
        if (c == null || (blank(c.email()) && blank(c.phone()))) {
            problems.add("client e-mail or phone is required");
            return;
        }
        if (!blank(c.email()) && !c.email().matches("[^@\\s]+@[^@\\s]+")) {
            problems.add("client e-mail '" + c.email() + "' is not an address");
        }
        if (!blank(c.phone()) && !c.phone().matches("\\+?[0-9]{1,19}")) {
            problems.add("client phone '" + c.phone() + "' is not +digits");
        }
    }

    private static void correction(ReceiptDocument.CorrectionBasis b, List<String> problems) {
        if (b == null) {
            problems.add("a correction receipt needs its basis");
            return;
        }
        if (!"self".equals(b.type()) && !"instruction".equals(b.type())) {
            problems.add("correction type must be self or instruction");
        }
        if (b.baseDate() == null) {
            problems.add("correction base date is required");
        }
        if ("instruction".equals(b.type()) && blank(b.baseNumber())) {
            problems.add("a correction by instruction needs the instruction's number");
        }
        if (b.baseNumber() != null && b.baseNumber().length() > 32) {
            // ATOL v5, correction_info.base_number (tag 1179): at most 32 characters.
            problems.add("the correction's base number is longer than 32 characters");
        }
    }

    private static long items(ReceiptDocument r, List<String> problems) {
        if (r.items() == null || r.items().isEmpty() || r.items().size() > 100) {
            problems.add("a receipt needs 1 to 100 items");
            return 0;
        }
        long total = 0;
        for (int i = 0; i < r.items().size(); i++) {
            ReceiptDocument.Item item = r.items().get(i);
            String at = "item " + (i + 1) + ": ";
            if (blank(item.name()) || item.name().length() > 128) {
                problems.add(at + "a name of 1 to 128 characters is required");
            }
            if (item.price() < 0) {
                problems.add(at + "the price is negative");
            }
            BigDecimal quantity = item.quantity();
            if (quantity == null
                    || quantity.signum() <= 0
                    || quantity.stripTrailingZeros().scale() > 6
                    || quantity.compareTo(MAX_QUANTITY) > 0) {
                // ATOL v5: quantity is a multiple of 0.000001, at most 99 999 999.
                problems.add(at + "the quantity must be positive, at most 99999999, with at most 6 decimals");
            } else {
                long expected = BigDecimal.valueOf(item.price())
                        .multiply(quantity)
                        .setScale(0, RoundingMode.HALF_UP)
                        .longValueExact();
                if (expected != item.sum()) {
                    problems.add(at + "sum " + kopecks(item.sum()) + " is not price × quantity = " + kopecks(expected));
                }
            }
            if (!MEASURES.contains(item.measure())) {
                problems.add(at + "measure " + item.measure() + " is not an FFD 1.2 code");
            }
            if (!PaymentObjects.accepted(item.paymentObject())) {
                problems.add(at + "payment object " + item.paymentObject()
                        + " is not one ATOL Online v5 accepts (1-27, 30-33)");
            }
            if (item.paymentMethod() == null) {
                problems.add(at + "the payment method is required");
            }
            if (item.vat() == null) {
                problems.add(at + "the VAT type is required");
            } else {
                if (item.vat().includedIn(item.sum()) != item.vatSum()) {
                    problems.add(at + "VAT " + kopecks(item.vatSum()) + " is not "
                            + item.vat().code() + " of " + kopecks(item.sum()) + " = "
                            + kopecks(item.vat().includedIn(item.sum())));
                }
                if (r.vatDate() == null || !item.vat().inForceOn(r.vatDate())) {
                    problems.add(at + item.vat().code() + " is not the rate in force on " + r.vatDate());
                }
                if (item.paymentMethod() != null
                        && item.vat().rateBp() > 0
                        && item.vat().calculated() != PREPAYMENTS.contains(item.paymentMethod())) {
                    problems.add(at + item.vat().code() + " does not go with "
                            + item.paymentMethod().code()
                            + " (calculated rates are for advances and prepayments only)");
                }
            }
            total += item.sum();
        }
        return total;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static String kopecks(long minor) {
        return BigDecimal.valueOf(minor, 2).toPlainString();
    }
}

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
    private static final Set<PaymentMethod> PREPAYMENTS =
            EnumSet.of(PaymentMethod.FULL_PREPAYMENT, PaymentMethod.PREPAYMENT, PaymentMethod.ADVANCE);

    private ReceiptValidation() {}

    /** What is wrong with the receipt; empty when it may be sent. */
    static List<String> problems(ReceiptDocument r, long expectedTotal) {
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
        if (r.payments() == null || r.payments().isEmpty() || r.payments().size() > 10) {
            problems.add("a receipt needs 1 to 10 payments");
        } else {
            for (ReceiptDocument.Payment p : r.payments()) {
                if (p.type() < 0 || p.type() > 9) {
                    problems.add("payment type " + p.type() + " is not 0..9");
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
        if (r.total() != expectedTotal) {
            problems.add("total " + kopecks(r.total()) + " is not the " + kopecks(expectedTotal) + " received");
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
                    || quantity.stripTrailingZeros().scale() > 3) {
                problems.add(at + "the quantity must be positive with at most 3 decimals");
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
            if (item.paymentObject() < 1 || item.paymentObject() > 33) {
                problems.add(at + "payment object " + item.paymentObject() + " is not an FFD 1.2 code");
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

package io.kopek.fiscal;

import java.util.Locale;

/**
 * When the goods or service of an invoice are handed over to the buyer, which decides the payment method (FFD tag
 * 1214) of every receipt of the invoice's payments. The rule, with the primary source, is in docs/receipts.md.
 */
public enum Handover {
    /**
     * Handed over once the invoice is paid in full (an online shop ships, a subscription starts): a payment that
     * leaves part of the invoice unpaid is a {@code prepayment}; the payment that completes it is the handover, a
     * {@code full_payment} of the whole invoice that offsets the earlier prepayments (payment type 2).
     */
    AT_FULL_PAYMENT,
    /**
     * Handed over at the first payment, the rest on credit (instalments): a first payment of the whole invoice is a
     * {@code full_payment}, of a part a {@code partial_payment} of the whole invoice with the rest as credit (payment
     * type 3); every later payment is a {@code credit_payment}.
     */
    AT_FIRST_PAYMENT;

    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

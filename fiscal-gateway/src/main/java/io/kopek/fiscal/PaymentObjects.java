package io.kopek.fiscal;

/**
 * The payment objects ("признак предмета расчёта", FFD tag 1212) ATOL Online v5 accepts: 1 to 27 and 30 to 33; 28
 * and 29 are refused by the operator (API сервиса АТОЛ Онлайн v5, version 3.12 of 2025-12-09, table of
 * {@code payment_object} values).
 */
final class PaymentObjects {

    /** Товар. */
    static final int COMMODITY = 1;
    /** Услуга. */
    static final int SERVICE = 4;
    /** Платёж: an advance, a prepayment of goods not yet known, a payment of a credit. */
    static final int PAYMENT = 10;

    private PaymentObjects() {}

    static boolean accepted(int code) {
        return (code >= 1 && code <= 27) || (code >= 30 && code <= 33);
    }
}

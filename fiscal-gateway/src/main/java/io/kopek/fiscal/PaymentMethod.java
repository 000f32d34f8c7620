package io.kopek.fiscal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** "Признак способа расчёта" of an item (FFD tag 1214), with ATOL v5's names. */
public enum PaymentMethod {
    /** Предоплата 100 %: paid in full before the goods or service are delivered. */
    FULL_PREPAYMENT,
    /** Частичная предоплата. */
    PREPAYMENT,
    /** Аванс: paid before the goods or service are even known. */
    ADVANCE,
    /** Полный расчёт, including the offset of an earlier advance. */
    FULL_PAYMENT,
    /** Частичный расчёт и кредит. */
    PARTIAL_PAYMENT,
    CREDIT,
    CREDIT_PAYMENT;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static PaymentMethod of(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}

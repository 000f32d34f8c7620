package io.kopek.fiscal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The operation a receipt registers (FFD "признак расчёта"), named as ATOL's endpoints are. */
public enum ReceiptKind {
    /** Приход: money received from the buyer. */
    SELL,
    /** Возврат прихода: money returned to the buyer. */
    SELL_REFUND,
    /** Чек коррекции прихода: a receipt that was wrong or missing, made good. */
    SELL_CORRECTION;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ReceiptKind of(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}

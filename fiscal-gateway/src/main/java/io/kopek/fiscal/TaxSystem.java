package io.kopek.fiscal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The merchant's tax system (ATOL v5 {@code sno}, FFD tag 1055). */
public enum TaxSystem {
    /** ОСН. */
    OSN,
    /** УСН доходы. */
    USN_INCOME,
    /** УСН доходы минус расходы. */
    USN_INCOME_OUTCOME,
    ENVD,
    /** ЕСХН. */
    ESN,
    PATENT;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static TaxSystem of(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}

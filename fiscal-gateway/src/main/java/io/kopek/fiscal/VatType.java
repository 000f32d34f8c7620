package io.kopek.fiscal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Optional;

/**
 * The VAT type of a receipt item (FFD tag 1199, ATOL v5 {@code vat.type}). Plain rates are for settlement
 * ({@code full_payment}); calculated ones ("20/120") for advances and prepayments, where the VAT is extracted from
 * a gross amount. The standard rate is 20 % until 2025-12-31 and 22 % from 2026-01-01 (Federal Law 425-FZ).
 */
public enum VatType {
    NONE("none", 0, false),
    VAT0("vat0", 0, false),
    VAT5("vat5", 500, false),
    VAT7("vat7", 700, false),
    VAT10("vat10", 1000, false),
    VAT20("vat20", 2000, false),
    VAT22("vat22", 2200, false),
    VAT105("vat105", 500, true),
    VAT107("vat107", 700, true),
    VAT110("vat110", 1000, true),
    VAT120("vat120", 2000, true),
    VAT122("vat122", 2200, true);

    static final LocalDate STANDARD_22_FROM = LocalDate.of(2026, 1, 1);

    private final String code;
    private final int rateBp;
    private final boolean calculated;

    VatType(String code, int rateBp, boolean calculated) {
        this.code = code;
        this.rateBp = rateBp;
        this.calculated = calculated;
    }

    @JsonValue
    public String code() {
        return code;
    }

    @JsonCreator
    public static VatType of(String code) {
        return Arrays.stream(values())
                .filter(t -> t.code.equals(code))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown VAT type " + code));
    }

    public int rateBp() {
        return rateBp;
    }

    public boolean calculated() {
        return calculated;
    }

    /**
     * The type for a rate of Kopek's VAT table: {@code none} is "without VAT"; any other code by its rate. Empty
     * for a rate no receipt can carry.
     */
    public static Optional<VatType> forRate(String vatCode, int rateBp, boolean calculated) {
        if ("none".equals(vatCode)) {
            return Optional.of(NONE);
        }
        if (rateBp == 0) {
            return Optional.of(VAT0);
        }
        return Arrays.stream(values())
                .filter(t -> t != NONE && t != VAT0 && t.rateBp == rateBp && t.calculated == calculated)
                .findFirst();
    }

    /** The VAT contained in a gross amount in kopecks: {@code sum × rate / (100 % + rate)}, half up. */
    public long includedIn(long sumMinor) {
        if (rateBp == 0 || sumMinor == 0) {
            return 0;
        }
        return BigDecimal.valueOf(sumMinor)
                .multiply(BigDecimal.valueOf(rateBp))
                .divide(BigDecimal.valueOf(10_000L + rateBp), 0, RoundingMode.HALF_UP)
                .longValueExact();
    }

    /** Whether a receipt may carry this type for a sale whose VAT is due on {@code date} (20 % before 2026, 22 % after). */
    public boolean inForceOn(LocalDate date) {
        return switch (this) {
            case VAT20, VAT120 -> date.isBefore(STANDARD_22_FROM);
            case VAT22, VAT122 -> !date.isBefore(STANDARD_22_FROM);
            case VAT5, VAT7, VAT105, VAT107 -> !date.isBefore(LocalDate.of(2025, 1, 1));
            default -> true;
        };
    }
}

package io.kopek.pricing;

/** A VAT rate from the rate table: its code and the percentage in basis points (2200 = 22 %). */
public record VatRate(String code, int rateBp) {

    /**
     * The VAT contained in a gross amount: {@code amount * rate / (100 % + rate)}, rounded half up to the minor
     * unit, as on 54-FZ receipts.
     */
    public long includedIn(long grossMinor) {
        if (rateBp == 0 || grossMinor == 0) {
            return 0;
        }
        return java.math.BigDecimal.valueOf(grossMinor)
                .multiply(java.math.BigDecimal.valueOf(rateBp))
                .divide(java.math.BigDecimal.valueOf(10_000L + rateBp), 0, java.math.RoundingMode.HALF_UP)
                .longValueExact();
    }
}

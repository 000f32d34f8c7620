package io.kopek.testing;

import java.util.Locale;

/** Merchant codes for tests that make a merchant of their own. */
public final class MerchantCodes {

    private MerchantCodes() {}

    /**
     * Six letters from a random run id: the merchant's invoice numbers ({@code CODE-2026-000001}) then hold too few
     * digits to pass for a card number, which registry lines may not hold (a code ending in six digits can make a
     * Luhn-valid 16).
     */
    public static String lettersOf(String run) {
        StringBuilder code = new StringBuilder();
        for (char c : run.toUpperCase(Locale.ROOT).substring(0, 6).toCharArray()) {
            code.append(Character.isDigit(c) ? (char) ('G' + (c - '0')) : c);
        }
        return code.toString();
    }
}

package io.kopek.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The checks of Russian requisites: an ИНН's check digits, a КПП's shape, a БИК, and the control key of an account
 * against its bank's БИК. Each {@code ...Error} method answers {@code null} for a valid value, else why it is not.
 *
 * <ul>
 *   <li>ИНН: 10 digits for a company (one check digit), 12 for a sole proprietor (two), each the weighted sum of the
 *       digits before it modulo 11, modulo 10 (the tax service's algorithm, Приказ ФНС ММВ-7-6/435@ of 2012-06-29).
 *   <li>КПП: 9 characters, the 5th and 6th (the reason for registration) digits or capital Latin letters (the same
 *       order).
 *   <li>Accounts: 20 digits whose 9th is a control key: the Bank of Russia's algorithm (Правила ведения бухгалтерского
 *       учёта в кредитных организациях, and the key's calculation of its Указание 515-У of 1997-09-08): the 3 digits
 *       of the bank's number and the 20 of the account are weighted 7, 1, 3, 7, 1, 3, ... and the sum of the products'
 *       last digits ends in 0. The bank's number is the БИК's last three digits for an account in a credit
 *       institution; for a correspondent account (held at the Bank of Russia) and for an account at one of the Bank
 *       of Russia's own divisions (whose БИК ends in 000 to 049), it is 0 and the БИК's 5th and 6th digits. A
 *       bank's correspondent account also starts with 301 and ends in the БИК's last three digits.
 * </ul>
 */
public final class Requisites {

    private Requisites() {}

    /** A field that is wrong and why; the field as the record component's path ({@code bankDetails.bik}). */
    public record Violation(String field, String message) {}

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern KPP = Pattern.compile("[0-9]{4}[0-9A-Z]{2}[0-9]{3}");
    private static final Pattern ONE_LINE = Pattern.compile("[^\\p{Cntrl}]{1,160}");

    private static final int[] INN_10 = {2, 4, 10, 3, 5, 9, 4, 6, 8};
    private static final int[] INN_11 = {7, 2, 4, 10, 3, 5, 9, 4, 6, 8};
    private static final int[] INN_12 = {3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8};
    private static final int[] ACCOUNT_WEIGHTS = {7, 1, 3};

    /** Everything wrong with a merchant's ИНН and bank details (either may be {@code null}), in field order. */
    public static List<Violation> check(String inn, BankDetails details) {
        List<Violation> violations = new ArrayList<>();
        add(violations, "inn", inn == null ? null : innError(inn));
        if (details == null) {
            return violations;
        }
        if (inn == null) {
            violations.add(new Violation("inn", "the bank details need the merchant's ИНН"));
        }
        add(violations, "bankDetails.legalName", textError(details.legalName()));
        boolean company = inn != null && inn.length() == 10;
        boolean soleProprietor = inn != null && inn.length() == 12;
        if (details.kpp() == null) {
            add(violations, "bankDetails.kpp", company ? "a company's bank details need its КПП" : null);
        } else if (soleProprietor) {
            violations.add(new Violation("bankDetails.kpp", "a sole proprietor (a 12-digit ИНН) has no КПП"));
        } else {
            add(violations, "bankDetails.kpp", kppError(details.kpp()));
        }
        String bikError = bikError(details.bik());
        add(violations, "bankDetails.bankName", textError(details.bankName()));
        add(violations, "bankDetails.bik", bikError);
        add(
                violations,
                "bankDetails.settlementAccount",
                bikError == null
                        ? accountError(details.settlementAccount(), details.bik())
                        : digitsError(details.settlementAccount(), 20));
        add(
                violations,
                "bankDetails.correspondentAccount",
                bikError == null
                        ? correspondentAccountError(details.correspondentAccount(), details.bik())
                        : digitsError(details.correspondentAccount(), 20));
        return violations;
    }

    public static String innError(String inn) {
        if (inn == null || !DIGITS.matcher(inn).matches() || (inn.length() != 10 && inn.length() != 12)) {
            return "must be 10 digits (a company) or 12 (a sole proprietor)";
        }
        boolean valid = inn.length() == 10
                ? checkDigit(inn, INN_10) == digit(inn, 9)
                : checkDigit(inn, INN_11) == digit(inn, 10) && checkDigit(inn, INN_12) == digit(inn, 11);
        return valid ? null : "the check digits do not match: not an ИНН";
    }

    public static String kppError(String kpp) {
        return kpp != null && KPP.matcher(kpp).matches()
                ? null
                : "must be 9 characters: digits, the 5th and 6th digits or capital Latin letters";
    }

    public static String bikError(String bik) {
        return digitsError(bik, 9);
    }

    /** A settlement account at the bank of {@code bik} (which must be valid). */
    public static String accountError(String account, String bik) {
        String digits = digitsError(account, 20);
        if (digits != null) {
            return digits;
        }
        int bank = Integer.parseInt(bik.substring(6));
        String prefix = bank < 50 ? "0" + bik.substring(4, 6) : bik.substring(6);
        return keyed(prefix, account) ? null : "the control key does not match the БИК " + bik;
    }

    /** The correspondent account of the bank of {@code bik} (which must be valid). */
    public static String correspondentAccountError(String account, String bik) {
        String digits = digitsError(account, 20);
        if (digits != null) {
            return digits;
        }
        if (!account.startsWith("301")) {
            return "a bank's correspondent account starts with 301";
        }
        if (!account.endsWith(bik.substring(6))) {
            return "a bank's correspondent account ends in its БИК's last three digits (" + bik.substring(6) + ")";
        }
        return keyed("0" + bik.substring(4, 6), account) ? null : "the control key does not match the БИК " + bik;
    }

    private static String textError(String text) {
        return text != null && ONE_LINE.matcher(text).matches() && !text.isBlank()
                ? null
                : "must be given: one line of at most 160 characters";
    }

    private static String digitsError(String value, int length) {
        return value != null
                        && value.length() == length
                        && DIGITS.matcher(value).matches()
                ? null
                : "must be " + length + " digits";
    }

    private static boolean keyed(String bank, String account) {
        String digits = bank + account;
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            sum += digit(digits, i) * ACCOUNT_WEIGHTS[i % 3] % 10;
        }
        return sum % 10 == 0;
    }

    private static int checkDigit(String digits, int[] weights) {
        int sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i] * digit(digits, i);
        }
        return sum % 11 % 10;
    }

    private static int digit(String digits, int i) {
        return digits.charAt(i) - '0';
    }

    private static void add(List<Violation> violations, String field, String error) {
        if (error != null) {
            violations.add(new Violation(field, error));
        }
    }
}

package io.kopek.api;

import java.util.Locale;

/** Who holds an API key: a customer (its own data only), or a member of the merchant's staff. */
public enum ApiRole {
    CUSTOMER,
    ACCOUNTANT,
    FINANCE,
    OPERATOR,
    ADMIN;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ApiRole of(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}

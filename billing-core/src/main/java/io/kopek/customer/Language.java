package io.kopek.customer;

import java.util.Locale;

/** The language Kopek writes to a customer in (e-mails); Russian unless the customer chose English. */
public enum Language {
    RU,
    EN;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Locale locale() {
        return Locale.forLanguageTag(code());
    }

    public static Language of(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}

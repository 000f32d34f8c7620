package io.kopek.provider.registry;

import java.util.Locale;

/** How a registry writes money. */
public enum DecimalMark {
    /** {@code 1 234,56} */
    COMMA,
    /** {@code 1234.56} */
    POINT,
    /** a comma or a point, whichever the value has */
    EITHER,
    /** integer minor units: {@code 123456} */
    MINOR;

    public static DecimalMark of(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}

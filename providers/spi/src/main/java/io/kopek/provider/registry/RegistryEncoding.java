package io.kopek.provider.registry;

import java.util.Locale;

/** How a registry's bytes are decoded. A byte-order mark always wins: it says UTF-8 whatever is configured. */
public enum RegistryEncoding {
    /** UTF-8 unless the start of the file is not valid UTF-8, then Windows-1251. */
    AUTO,
    UTF_8,
    WINDOWS_1251;

    /** {@code auto}, {@code utf-8}, {@code windows-1251} (or {@code cp1251}). */
    public static RegistryEncoding of(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "auto" -> AUTO;
            case "utf-8", "utf8" -> UTF_8;
            case "windows-1251", "cp1251", "cp-1251" -> WINDOWS_1251;
            default ->
                throw new IllegalArgumentException(
                        "unknown registry encoding " + name + " (auto, utf-8, windows-1251)");
        };
    }
}

package io.kopek.provider;

/** What a rejected line does to the rest of its file, per provider. */
public enum RegistryPolicy {
    /** The good lines of a well-formed file import; the bad ones are reported. */
    PER_LINE,
    /** One bad line quarantines the whole file. */
    ALL_OR_NOTHING
}

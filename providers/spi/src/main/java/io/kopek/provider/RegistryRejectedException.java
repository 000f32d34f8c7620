package io.kopek.provider;

/**
 * A registry file that cannot be read as a whole: wrong structure or header, wrong encoding, truncated, or trailer
 * totals that do not match its lines. The file is quarantined with {@link #reason()}; nothing in it counts.
 */
public class RegistryRejectedException extends RuntimeException {

    private final String provider;
    private final String fileName;
    private final String reason;

    public RegistryRejectedException(String provider, String fileName, String reason, Throwable cause) {
        super(provider + " registry " + fileName + " rejected: " + reason, cause);
        this.provider = provider;
        this.fileName = fileName;
        this.reason = reason;
    }

    public String provider() {
        return provider;
    }

    public String fileName() {
        return fileName;
    }

    /** Why, readable by an accountant: {@code truncated: the last line "..." has 3 of 8 columns}. */
    public String reason() {
        return reason;
    }
}

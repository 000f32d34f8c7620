package io.kopek.ingest;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A registry file as delivered: {@code received} while being imported, {@code imported}, or {@code quarantined}
 * whole with {@code reason} (nothing of it counts). {@code rejected} lines of an imported file are listed apart
 * with their reasons.
 */
public record RegistryFile(
        long id,
        String provider,
        String name,
        LocalDate businessDate,
        String status,
        String reason,
        int lines,
        int rejected,
        boolean redelivered,
        Instant receivedAt,
        Instant importedAt) {

    public boolean imported() {
        return status.equals("imported");
    }

    public boolean quarantined() {
        return status.equals("quarantined");
    }
}

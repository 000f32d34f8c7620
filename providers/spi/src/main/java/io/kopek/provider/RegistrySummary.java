package io.kopek.provider;

import java.time.LocalDate;
import java.util.Optional;

/**
 * What a registry says of itself, known once it has been read to the end.
 *
 * @param provider the provider's id
 * @param fileName the file's name as delivered
 * @param businessDate the business day the registry settles
 * @param policy what a rejected line does to the file
 * @param declared the trailer's totals, checked against the lines (a mismatch rejects the file), if it has one
 * @param accepted how many lines were read
 * @param rejected how many lines were rejected
 */
public record RegistrySummary(
        String provider,
        String fileName,
        LocalDate businessDate,
        RegistryPolicy policy,
        Optional<RegistryTotals> declared,
        long accepted,
        long rejected) {

    /** Whether the accepted lines may be imported: always per line, and only a clean file when all-or-nothing. */
    public boolean importable() {
        return policy == RegistryPolicy.PER_LINE || rejected == 0;
    }
}

package io.kopek.sandbox.registry;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/** A simulator's settlement registries: what it settled on a business day, written in the provider's format. */
public interface SettlementRegistry {

    /** The provider's id, as Kopek configures it. */
    String provider();

    /** The zone in which the provider's business days and times are written. */
    ZoneId zone();

    /** The operations settled on {@code day} in the provider's zone, in time order. */
    List<Settled> settledOn(LocalDate day);

    /**
     * Writes the day's registry files to {@code dir} in the provider's real format, the first file with the
     * ugliness asked for (those the format can have, see {@link #supports}).
     */
    List<WrittenRegistry> write(LocalDate day, Path dir, Set<Ugliness> ugliness) throws IOException;

    /** Whether the format can have this ugliness (a registry without a totals line has no wrong total). */
    boolean supports(Ugliness ugliness);

    /** The provider's fee, in basis points of each payment (280 = 2.8 %). */
    void commissionRate(int basisPoints);
}

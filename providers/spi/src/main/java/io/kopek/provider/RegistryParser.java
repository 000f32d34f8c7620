package io.kopek.provider;

import java.io.InputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads one provider's settlement registry: the file a provider delivers per business day listing the operations it
 * settles. One bean per provider, discovered like {@link PaymentProvider}s.
 *
 * <p>A whole-file problem (wrong structure or header, wrong encoding, truncated, trailer totals that do not match
 * the lines) throws {@link RegistryRejectedException}: the file is quarantined and nothing in it counts, even lines
 * already handed to the sink. A bad line (unparsable amount, unknown operation) is handed to the sink as a
 * {@link RejectedLine} and the rest of the file goes on, unless the summary's policy is all-or-nothing.
 *
 * <p>No full card number leaves a parser: a 13–19-digit value passing the Luhn check, in any field, is masked to its
 * first six and last four digits and the line is flagged.
 */
public interface RegistryParser {

    /** The provider's id, as {@link PaymentProvider#id()}. */
    String provider();

    /** Whether a file of this name is one of this provider's registries. */
    boolean accepts(String fileName);

    /**
     * The business day a file of this name settles, when its name says so: known before the file is read, so that
     * its lines go straight into their day's partition. Empty when only reading the file tells (then the importer
     * reads it once for its {@link RegistrySummary} before it reads it again into the day), or when the name is not
     * one of this provider's (the parse rejects the file).
     */
    default Optional<LocalDate> businessDate(String fileName) {
        return Optional.empty();
    }

    /**
     * Streams the registry to {@code sink} line by line, so that memory stays flat whatever the file's size, and
     * returns what the file says of itself once it has been read to the end.
     */
    RegistrySummary parse(InputStream in, String fileName, RegistrySink sink);

    /**
     * As {@link #parse(InputStream, String, RegistrySink)}, within {@code limits}: a file beyond them is rejected
     * whole ({@link RegistryRejectedException}) before it can exhaust memory. A parser that reads with bounded memory
     * whatever the file need not override it.
     */
    default RegistrySummary parse(InputStream in, String fileName, RegistrySink sink, RegistryLimits limits) {
        return parse(in, fileName, sink);
    }

    /** The whole registry in memory: for small files and tests. */
    default ParsedRegistry parse(InputStream in, String fileName) {
        List<RegistryLine> lines = new ArrayList<>();
        List<RejectedLine> rejected = new ArrayList<>();
        RegistrySummary summary = parse(in, fileName, new RegistrySink() {
            @Override
            public void line(RegistryLine line) {
                lines.add(line);
            }

            @Override
            public void rejected(RejectedLine line) {
                rejected.add(line);
            }
        });
        return new ParsedRegistry(summary, lines, rejected);
    }
}

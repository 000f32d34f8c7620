package io.kopek.provider;

import java.util.List;

/** A registry read whole into memory ({@link RegistryParser#parse(java.io.InputStream, String)}). */
public record ParsedRegistry(RegistrySummary summary, List<RegistryLine> lines, List<RejectedLine> rejected) {

    public ParsedRegistry {
        lines = List.copyOf(lines);
        rejected = List.copyOf(rejected);
    }
}

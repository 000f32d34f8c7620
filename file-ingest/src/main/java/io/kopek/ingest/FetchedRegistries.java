package io.kopek.ingest;

import java.nio.file.Path;

/**
 * What happens to a registry file the intake fetched: imported here by default; the batch module runs it through
 * its {@code registryImport} and {@code reconciliation} jobs instead.
 */
public interface FetchedRegistries {

    RegistryFile take(String provider, Path file);
}

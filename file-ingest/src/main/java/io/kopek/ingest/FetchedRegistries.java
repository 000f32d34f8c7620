package io.kopek.ingest;

import java.nio.file.Path;

/**
 * How a registry file the intake fetched is imported: here by default; the batch module runs it as a
 * {@code registryImport} job run instead, so that it shows in the jobs' history and can be restarted.
 */
public interface FetchedRegistries {

    RegistryFile take(String provider, Path file);
}

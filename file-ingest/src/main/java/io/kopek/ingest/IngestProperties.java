package io.kopek.ingest;

import io.kopek.provider.RegistryLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code kopek.ingest.*}: where each provider drops its settlement registries, and where Kopek stages them.
 *
 * @param stagingDirectory where fetched files wait for their import; quarantined ones are kept under
 *     {@code quarantine/<provider>/} with a {@code .reason.txt} beside each. Private to Kopek ({@link Staging}):
 *     created owner-only, refused when another user owns it; when not set, each start makes a new private one
 *     in the temporary folder (files still on the server are fetched again)
 * @param sources one SFTP source per provider id
 * @param limits what a registry file may hold; beyond, it is quarantined with the reason
 */
@ConfigurationProperties("kopek.ingest")
public record IngestProperties(
        Path stagingDirectory,
        Map<String, Source> sources,
        @DefaultValue Limits limits) {

    public IngestProperties {
        sources = sources == null ? Map.of() : Map.copyOf(sources);
    }

    /**
     * @param maxFileSize a registry file's size
     * @param maxLineLength a CSV line's characters (or a spreadsheet row's)
     * @param maxFieldLines the lines one CSV record may span (a quoted field with line breaks)
     * @param maxSharedStrings an XLSX workbook's shared-strings table, inflated (POI holds it in memory)
     */
    public record Limits(
            @DefaultValue("1GB") DataSize maxFileSize,
            @DefaultValue("65536") int maxLineLength,
            @DefaultValue("100") int maxFieldLines,
            @DefaultValue("64MB") DataSize maxSharedStrings) {

        /** The same, for the parsers. */
        public RegistryLimits registryLimits() {
            return new RegistryLimits(maxFileSize.toBytes(), maxLineLength, maxFieldLines, maxSharedStrings.toBytes());
        }
    }

    /**
     * @param host the provider's SFTP server
     * @param user the login
     * @param password a password login, from the environment; or
     * @param privateKey a key login: the path of an OpenSSH or PEM private key (its passphrase in
     *     {@code privateKeyPassphrase})
     * @param knownHosts an OpenSSH {@code known_hosts} file with the server's host key; without it the server is
     *     trusted only when {@code allowUnknownHostKey} is true (the sandbox, never production)
     * @param remoteDirectory where the registries are delivered
     * @param filePattern a regular expression of the file names to fetch (all by default: the parser decides)
     * @param processedDirectory where an imported file is moved on the server (never deleted)
     * @param pollEvery the default period of the provider's schedule {@code registryIntake<Provider>}, which fetches
     *     and imports new files during the day (reconciliation and reports are the settlement chain's): whole seconds
     *     dividing a minute, minutes dividing an hour, or hours dividing a day; operators change the schedule's cron
     */
    public record Source(
            String host,
            @DefaultValue("22") int port,
            String user,
            String password,
            Path privateKey,
            String privateKeyPassphrase,
            Path knownHosts,
            @DefaultValue("false") boolean allowUnknownHostKey,
            @DefaultValue("/") String remoteDirectory,
            @DefaultValue(".*") String filePattern,
            @DefaultValue("processed") String processedDirectory,
            @DefaultValue("10m") Duration pollEvery) {}
}

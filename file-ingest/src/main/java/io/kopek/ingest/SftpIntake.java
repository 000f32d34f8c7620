package io.kopek.ingest;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.sshd.sftp.client.SftpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.io.FileSystemResource;
import org.springframework.integration.file.filters.ChainFileListFilter;
import org.springframework.integration.file.remote.session.SessionFactory;
import org.springframework.integration.sftp.filters.SftpRegexPatternFileListFilter;
import org.springframework.integration.sftp.inbound.SftpInboundFileSynchronizer;
import org.springframework.integration.sftp.session.DefaultSftpSessionFactory;
import org.springframework.integration.sftp.session.SftpRemoteFileTemplate;
import org.springframework.stereotype.Service;

/**
 * Each configured provider's SFTP server ({@code kopek.ingest.sources.<id>}), on demand: {@link #fetch} copies the
 * provider's new files into the staging directory, {@link #take} imports one staged file and files it away (an
 * imported file, or one delivered again and recognised, is moved on the server to the processed directory; a
 * quarantined one stays on the server and is kept in staging under {@code quarantine/} with its reason). The
 * settlement chain calls them step by step; {@link #fetchAndImport} is what the provider's schedule
 * ({@code registryIntake<Provider>}) does during the day: the registries are imported as they arrive, and
 * reconciled and reported only by the chain of their day. One fetch or import of a provider at a time across every
 * process ({@link #exclusively}). Runs in the batch role.
 */
@Service
@ConditionalOnRole(Role.BATCH)
public class SftpIntake {

    private static final Logger log = LoggerFactory.getLogger(SftpIntake.class);

    /** The advisory lock's first key: "registry intake of a provider" (the batch workers' is 7040). */
    static final int LOCK_CLASS = 7041;

    /** Spring Integration's suffix of a file still being copied. */
    private static final String PARTIAL = ".writing";

    private final IngestProperties properties;
    private final Staging staging;
    private final RemoteFiles remoteFiles;
    private final FetchedRegistries fetched;
    private final ProviderLocks locks;
    private final BeanFactory beans;
    private final Map<String, Server> servers = new ConcurrentHashMap<>();

    SftpIntake(
            IngestProperties properties,
            Staging staging,
            RemoteFiles remoteFiles,
            FetchedRegistries fetched,
            ProviderLocks locks,
            BeanFactory beans) {
        this.properties = properties;
        this.staging = staging;
        this.remoteFiles = remoteFiles;
        this.fetched = fetched;
        this.locks = locks;
        this.beans = beans;
        // a wrong source stops the process at start-up, not at its first fetch
        properties.sources().forEach(SftpIntake::sessions);
    }

    /** The providers with an SFTP source. */
    public Set<String> providers() {
        return new TreeSet<>(properties.sources().keySet());
    }

    /**
     * Copies the provider's new files from its server into the staging directory and answers how many files wait
     * there now. No accept-once memory: a file corrected and delivered again under its name is fetched again; what
     * was imported is recognised by its content and filed away. A quarantined one is remembered as the server lists
     * it, and left there until it changes; a name that is not a plain file name is never fetched.
     */
    public int fetch(String provider) {
        Server server = server(provider);
        return exclusively(provider, () -> {
            Path incoming = staging.incoming(provider);
            server.synchronizer().synchronizeToLocalDirectory(incoming.toFile(), -1);
            List<Path> staged = staged(provider);
            log.info(
                    "{}: {} registry file(s) staged from sftp://{}@{}:{}{}",
                    provider,
                    staged.size(),
                    server.source().user(),
                    server.source().host(),
                    server.source().port(),
                    server.source().remoteDirectory());
            return staged.size();
        });
    }

    /** The files of the provider waiting in the staging directory for their import, by name. */
    public List<Path> staged(String provider) {
        Path incoming = staging.incoming(provider);
        try (Stream<Path> files = Files.list(incoming)) {
            return files.filter(f -> !f.getFileName().toString().endsWith(PARTIAL))
                    .filter(f -> Files.isRegularFile(f) || Files.isSymbolicLink(f))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Imports one staged file through {@code importer} and files it away, here and on the server; empty when the
     * path is not a file the intake wrote (a link, or a name that leads elsewhere: never read, the link goes).
     */
    public Optional<RegistryFile> take(String provider, Path stagedFile, FetchedRegistries importer) {
        IngestProperties.Source source = source(provider);
        Path file;
        try {
            file = staging.inside(stagedFile);
        } catch (Staging.OutsideStagingException e) {
            log.warn("{}: {} refused: {}", provider, stagedFile, e.getMessage());
            try {
                if (Files.isSymbolicLink(stagedFile)
                        && stagedFile.toAbsolutePath().normalize().startsWith(staging.root())) {
                    Files.delete(stagedFile);
                }
            } catch (IOException ignored) {
                // left for a person to look at
            }
            return Optional.empty();
        }
        RegistryFile imported = importer.take(provider, file);
        try {
            if (imported.quarantined()) {
                remoteFiles.quarantined(imported.id(), file);
                Path quarantine = staging.quarantine(provider);
                Files.move(file, quarantine.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                Files.writeString(
                        quarantine.resolve(file.getFileName() + ".reason.txt"),
                        imported.reason() + System.lineSeparator(),
                        StandardCharsets.UTF_8);
                return Optional.of(imported);
            }
            String name = file.getFileName().toString();
            String from = path(source.remoteDirectory(), name);
            String processed = source.processedDirectory().startsWith("/")
                    ? source.processedDirectory()
                    : path(source.remoteDirectory(), source.processedDirectory());
            server(provider).remote().execute(session -> {
                if (!session.exists(processed)) {
                    session.mkdir(processed);
                }
                session.rename(from, path(processed, name));
                return null;
            });
            Files.deleteIfExists(file);
            log.info("{} registry {} filed in {} on the server", provider, name, processed);
            return Optional.of(imported);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What the provider's schedule does during the day: its new files fetched and imported, nothing more (the
     * reconciliation and the reports of a day belong to its settlement chain).
     */
    public List<RegistryFile> fetchAndImport(String provider) {
        return exclusively(provider, () -> {
            fetch(provider);
            List<RegistryFile> taken = new ArrayList<>();
            for (Path file : staged(provider)) {
                take(provider, file, fetched).ifPresent(taken::add);
            }
            return taken;
        });
    }

    /**
     * Runs {@code work} while holding the provider's intake lock (a PostgreSQL advisory lock, so across every
     * process): two fetches of one server would copy the same file twice and race to file it away. Re-entrant.
     */
    public <T> T exclusively(String provider, Supplier<T> work) {
        return locks.holding(LOCK_CLASS, provider, work);
    }

    private IngestProperties.Source source(String provider) {
        IngestProperties.Source source = properties.sources().get(provider);
        if (source == null) {
            throw new IllegalArgumentException("no kopek.ingest.sources." + provider);
        }
        return source;
    }

    private Server server(String provider) {
        return servers.computeIfAbsent(provider, p -> {
            IngestProperties.Source source = source(p);
            SessionFactory<SftpClient.DirEntry> sessions = sessions(p, source);
            SftpInboundFileSynchronizer synchronizer = new SftpInboundFileSynchronizer(sessions);
            synchronizer.setRemoteDirectory(source.remoteDirectory());
            synchronizer.setFilter(new ChainFileListFilter<SftpClient.DirEntry>()
                    .addFilter(new SftpRegexPatternFileListFilter(source.filePattern()))
                    .addFilter(remoteFiles.worthFetching(p)));
            synchronizer.setDeleteRemoteFiles(false);
            // The server's time kept as the local file's: a quarantined file is known by it (RemoteFiles).
            synchronizer.setPreserveTimestamp(true);
            synchronizer.setBeanFactory(beans);
            synchronizer.afterPropertiesSet();
            return new Server(source, synchronizer, new SftpRemoteFileTemplate(sessions));
        });
    }

    private record Server(
            IngestProperties.Source source, SftpInboundFileSynchronizer synchronizer, SftpRemoteFileTemplate remote) {}

    private static String path(String directory, String name) {
        return directory.endsWith("/") ? directory + name : directory + "/" + name;
    }

    static SessionFactory<SftpClient.DirEntry> sessions(String provider, IngestProperties.Source source) {
        if (source.host() == null || source.user() == null) {
            throw new IllegalStateException("kopek.ingest.sources." + provider + ": host and user are required");
        }
        if (source.password() == null && source.privateKey() == null) {
            throw new IllegalStateException(
                    "kopek.ingest.sources." + provider + ": a password or a private-key is required");
        }
        if (source.knownHosts() == null && !source.allowUnknownHostKey()) {
            throw new IllegalStateException("kopek.ingest.sources." + provider
                    + ": known-hosts is required (allow-unknown-host-key only for a sandbox)");
        }
        DefaultSftpSessionFactory factory = new DefaultSftpSessionFactory(false);
        factory.setHost(source.host());
        factory.setPort(source.port());
        factory.setUser(source.user());
        if (source.password() != null) {
            factory.setPassword(source.password());
        }
        if (source.privateKey() != null) {
            factory.setPrivateKey(new FileSystemResource(source.privateKey()));
            if (source.privateKeyPassphrase() != null) {
                factory.setPrivateKeyPassphrase(source.privateKeyPassphrase());
            }
        }
        if (source.knownHosts() != null) {
            factory.setKnownHostsResource(new FileSystemResource(source.knownHosts()));
        }
        factory.setAllowUnknownKeys(source.allowUnknownHostKey());
        return factory;
    }
}

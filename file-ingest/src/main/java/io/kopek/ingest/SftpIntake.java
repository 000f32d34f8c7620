package io.kopek.ingest;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.sshd.sftp.client.SftpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.io.FileSystemResource;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.dsl.Pollers;
import org.springframework.integration.dsl.context.IntegrationFlowContext;
import org.springframework.integration.file.filters.AcceptAllFileListFilter;
import org.springframework.integration.file.filters.ChainFileListFilter;
import org.springframework.integration.file.remote.session.SessionFactory;
import org.springframework.integration.sftp.dsl.Sftp;
import org.springframework.integration.sftp.filters.SftpRegexPatternFileListFilter;
import org.springframework.integration.sftp.session.DefaultSftpSessionFactory;
import org.springframework.integration.sftp.session.SftpRemoteFileTemplate;
import org.springframework.stereotype.Component;

/**
 * One Spring Integration SFTP inbound adapter per configured provider ({@code kopek.ingest.sources.<id>}): new
 * files are fetched into the staging directory and imported; an imported file (or one delivered again and
 * recognised) is moved on the server to the processed directory; a quarantined one stays on the server and is
 * kept in staging under {@code quarantine/} with its reason. Runs in the batch role.
 */
@Component
@ConditionalOnRole(Role.BATCH)
class SftpIntake implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(SftpIntake.class);

    private final IngestProperties properties;
    private final Staging staging;
    private final RemoteFiles remoteFiles;
    private final FetchedRegistries fetched;
    private final IntegrationFlowContext flows;

    SftpIntake(
            IngestProperties properties,
            Staging staging,
            RemoteFiles remoteFiles,
            FetchedRegistries fetched,
            IntegrationFlowContext flows) {
        this.properties = properties;
        this.staging = staging;
        this.remoteFiles = remoteFiles;
        this.fetched = fetched;
        this.flows = flows;
    }

    @Override
    public void afterSingletonsInstantiated() {
        properties.sources().forEach(this::register);
    }

    private void register(String provider, IngestProperties.Source source) {
        SessionFactory<SftpClient.DirEntry> sessions = sessions(provider, source);
        SftpRemoteFileTemplate remote = new SftpRemoteFileTemplate(sessions);
        Path incoming = staging.incoming(provider);
        IntegrationFlow flow = IntegrationFlow.from(
                        Sftp.inboundAdapter(sessions)
                                .remoteDirectory(source.remoteDirectory())
                                // No accept-once memory: a file corrected and delivered again under its name is
                                // fetched again; what was imported is recognised by its content and filed away.
                                // A quarantined one is remembered as the server lists it, and left there until it
                                // changes; a name that is not a plain file name is never fetched.
                                .filter(new ChainFileListFilter<SftpClient.DirEntry>()
                                        .addFilter(new SftpRegexPatternFileListFilter(source.filePattern()))
                                        .addFilter(remoteFiles.worthFetching(provider)))
                                .localFilter(new AcceptAllFileListFilter<>())
                                .localDirectory(incoming.toFile())
                                .autoCreateLocalDirectory(true)
                                .deleteRemoteFiles(false)
                                .preserveTimestamp(true),
                        e -> e.poller(Pollers.fixedDelay(source.pollEvery()).maxMessagesPerPoll(100)))
                .handle(File.class, (file, headers) -> {
                    intake(provider, source, remote, file.toPath());
                    return null;
                })
                .get();
        flows.registration(flow).id("registryIntake." + provider).register();
        log.info(
                "fetching {} registries from sftp://{}@{}:{}{} every {}",
                provider,
                source.user(),
                source.host(),
                source.port(),
                source.remoteDirectory(),
                source.pollEvery());
    }

    /** Imports one fetched file and files it away, here and on the server. */
    void intake(String provider, IngestProperties.Source source, SftpRemoteFileTemplate remote, Path fetchedFile) {
        Path file;
        try {
            file = staging.inside(fetchedFile);
        } catch (Staging.OutsideStagingException e) {
            // Not a file the intake wrote: a link or a name that leads elsewhere. Never read; the link goes.
            log.warn("{}: {} refused: {}", provider, fetchedFile, e.getMessage());
            try {
                if (Files.isSymbolicLink(fetchedFile)
                        && fetchedFile.toAbsolutePath().normalize().startsWith(staging.root())) {
                    Files.delete(fetchedFile);
                }
            } catch (IOException ignored) {
                // left for a person to look at
            }
            return;
        }
        RegistryFile imported = fetched.take(provider, file);
        try {
            if (imported.quarantined()) {
                remoteFiles.quarantined(imported.id(), file);
                Path quarantine = staging.quarantine(provider);
                Files.move(file, quarantine.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                Files.writeString(
                        quarantine.resolve(file.getFileName() + ".reason.txt"),
                        imported.reason() + System.lineSeparator(),
                        StandardCharsets.UTF_8);
                return;
            }
            String name = file.getFileName().toString();
            String from = path(source.remoteDirectory(), name);
            String processed = source.processedDirectory().startsWith("/")
                    ? source.processedDirectory()
                    : path(source.remoteDirectory(), source.processedDirectory());
            remote.execute(session -> {
                if (!session.exists(processed)) {
                    session.mkdir(processed);
                }
                session.rename(from, path(processed, name));
                return null;
            });
            Files.deleteIfExists(file);
            log.info("{} registry {} filed in {} on the server", provider, name, processed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String path(String directory, String name) {
        return directory.endsWith("/") ? directory + name : directory + "/" + name;
    }

    private static SessionFactory<SftpClient.DirEntry> sessions(String provider, IngestProperties.Source source) {
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

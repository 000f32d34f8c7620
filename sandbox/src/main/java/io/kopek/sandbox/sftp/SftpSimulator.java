package io.kopek.sandbox.sftp;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SFTP server on a free loopback port (Apache MINA SSHD, in-process), serving a directory on disk as each user's
 * root: where providers drop their settlement registries. Users log in with a password or a public key; the host
 * key is generated at start-up and kept in memory. Started by tests and by the demo.
 */
public final class SftpSimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SftpSimulator.class);

    private final SshServer server;
    private final Path root;
    private final AtomicInteger logins;

    private SftpSimulator(SshServer server, Path root, AtomicInteger logins) {
        this.server = server;
        this.root = root;
        this.logins = logins;
    }

    /** A server serving {@code root}; add users, then {@link Builder#start()}. */
    public static Builder serving(Path root) {
        return new Builder(root);
    }

    public static final class Builder {

        private final Path root;
        private final Map<String, String> passwords = new ConcurrentHashMap<>();
        private final Map<String, List<PublicKey>> keys = new ConcurrentHashMap<>();
        private int port;

        private Builder(Path root) {
            this.root = root;
        }

        /** Listens on this port (a free one by default). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** A user who logs in with this password. */
        public Builder user(String name, String password) {
            passwords.put(name, password);
            return this;
        }

        /** A user who logs in with the private key of this public key. */
        public Builder authorizedKey(String name, PublicKey key) {
            keys.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(key);
            return this;
        }

        public SftpSimulator start() throws IOException {
            Files.createDirectories(root);
            AtomicInteger logins = new AtomicInteger();
            SshServer server = SshServer.setUpDefaultServer();
            server.setHost("127.0.0.1");
            server.setPort(port);
            server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider()); // no path: generated, kept in memory
            server.setPasswordAuthenticator((user, password, session) -> {
                String expected = passwords.get(user);
                boolean ok = expected != null
                        && password != null
                        && MessageDigest.isEqual(
                                expected.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8));
                return counted(ok, logins);
            });
            server.setPublickeyAuthenticator((user, key, session) -> counted(
                    keys.getOrDefault(user, List.of()).stream().anyMatch(k -> KeyUtils.compareKeys(k, key)), logins));
            server.setKeyboardInteractiveAuthenticator(null);
            server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
            server.setFileSystemFactory(new VirtualFileSystemFactory(root.toAbsolutePath()));
            server.start();
            SftpSimulator simulator = new SftpSimulator(server, root, logins);
            log.info("SFTP simulator listening on {}:{}, serving {}", simulator.host(), simulator.port(), root);
            return simulator;
        }

        private static boolean counted(boolean ok, AtomicInteger logins) {
            if (ok) {
                logins.incrementAndGet();
            }
            return ok;
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return server.getPort();
    }

    /** The directory every user sees as {@code /}. */
    public Path root() {
        return root;
    }

    /** Successful authentications so far. */
    public int logins() {
        return logins.get();
    }

    /** The server's host key, for a client that checks it. */
    public PublicKey hostKey() {
        try {
            KeyPairProvider provider = server.getKeyPairProvider();
            return provider.loadKeys(null).iterator().next().getPublic();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new key pair for a test user (EC P-256). */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key pair's private key as an unencrypted OpenSSH key file, as SFTP clients are configured with. */
    public static void writePrivateKey(KeyPair keys, Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            new OpenSSHKeyPairResourceWriter().writePrivateKey(keys, "kopek-test", null, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The server's line for an OpenSSH {@code known_hosts} file, so that a client checks the host key instead of
     * trusting whatever answers on the port.
     */
    public String knownHostsLine() {
        return "[" + host() + "]:" + port() + " " + PublicKeyEntry.toString(hostKey());
    }

    /** The public key as an {@code authorized_keys} line. */
    public static String authorizedKeyLine(PublicKey key) {
        return PublicKeyEntry.toString(key);
    }

    @Override
    public void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            log.warn("SFTP simulator did not stop cleanly", e);
        }
    }
}

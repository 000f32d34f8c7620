package io.kopek.sandbox.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SFTP server that providers' registries are fetched from, driven by a real SSH client (MINA's). */
class SftpSimulatorTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path root;

    final KeyPair sberKey = SftpSimulator.newKeyPair();
    SftpSimulator server;
    SshClient client;

    @BeforeEach
    void start() throws IOException {
        Files.createDirectories(root.resolve("registries"));
        Files.writeString(
                root.resolve("registries/SBER_REGISTRY_20260316.csv"), "TRANS_DATE;SUM\n", StandardCharsets.UTF_8);
        server = SftpSimulator.serving(root)
                .user("yookassa", "s3cret")
                .authorizedKey("sber", sberKey.getPublic())
                .start();
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier((session, address, key) -> KeyUtils.compareKeys(key, server.hostKey()));
        client.start();
    }

    @AfterEach
    void stop() throws IOException {
        client.stop();
        server.close();
    }

    ClientSession connect(String user) throws IOException {
        return client.connect(user, server.host(), server.port()).verify(WAIT).getSession();
    }

    @Test
    void aPasswordLoginListsAndReadsTheRegistries() throws IOException {
        try (ClientSession session = connect("yookassa")) {
            session.addPasswordIdentity("s3cret");
            session.auth().verify(WAIT);
            try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
                List<String> names = new ArrayList<>();
                sftp.readDir("/registries").forEach(entry -> names.add(entry.getFilename()));
                String content;
                try (InputStream in = sftp.read("/registries/SBER_REGISTRY_20260316.csv")) {
                    content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }

                assertThat(names).contains("SBER_REGISTRY_20260316.csv");
                assertThat(content).isEqualTo("TRANS_DATE;SUM\n");
            }
        }
        assertThat(server.logins()).isEqualTo(1);
    }

    @Test
    void aKeyLoginMovesAnImportedFileToTheProcessedFolder() throws IOException {
        try (ClientSession session = connect("sber")) {
            session.addPublicKeyIdentity(sberKey);
            session.auth().verify(WAIT);
            try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
                sftp.mkdir("/processed");
                sftp.rename("/registries/SBER_REGISTRY_20260316.csv", "/processed/SBER_REGISTRY_20260316.csv");
            }
        }

        assertThat(root.resolve("processed/SBER_REGISTRY_20260316.csv")).hasContent("TRANS_DATE;SUM");
        assertThat(root.resolve("registries/SBER_REGISTRY_20260316.csv")).doesNotExist();
    }

    @Test
    void aWrongPasswordIsRefused() throws IOException {
        try (ClientSession session = connect("yookassa")) {
            session.addPasswordIdentity("guess");
            assertThatThrownBy(() -> session.auth().verify(WAIT)).isInstanceOf(IOException.class);
        }
        assertThat(server.logins()).isZero();
    }

    @Test
    void aKeyThatIsNotAuthorisedIsRefused() throws IOException {
        try (ClientSession session = connect("sber")) {
            session.addPublicKeyIdentity(SftpSimulator.newKeyPair());
            assertThatThrownBy(() -> session.auth().verify(WAIT)).isInstanceOf(IOException.class);
        }
        assertThat(server.logins()).isZero();
    }

    @Test
    void thePrivateKeyFileAndAuthorizedKeyLineAreOpenSshFormats(@TempDir Path keys) throws IOException {
        Path file = keys.resolve("id_ecdsa");
        SftpSimulator.writePrivateKey(sberKey, file);

        assertThat(Files.readString(file)).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(SftpSimulator.authorizedKeyLine(sberKey.getPublic())).startsWith("ecdsa-sha2-nistp256 ");
    }
}

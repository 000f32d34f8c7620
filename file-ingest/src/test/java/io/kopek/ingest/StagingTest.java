package io.kopek.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.sshd.sftp.client.SftpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The staging directory is Kopek's alone, and nothing is taken from it that is not really in it. */
class StagingTest {

    @TempDir
    Path dir;

    @Test
    void withoutAConfiguredDirectoryEachStartMakesAPrivateOneWithAnUnpredictableName() throws IOException {
        Staging one = new Staging(null);
        Staging two = new Staging(null);

        assertThat(one.root()).isNotEqualTo(two.root());
        assertThat(one.root().getFileName().toString())
                .startsWith("kopek-staging-")
                .isNotEqualTo("kopek-staging-");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(one.root())))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(one.incoming("acme"))))
                .isEqualTo("rwx------");
    }

    @Test
    void aConfiguredDirectoryIsMadeOwnerOnly() throws IOException {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        new Staging(shared);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(new Staging(dir.resolve("new/one")).root())))
                .isEqualTo("rwx------");
    }

    @Test
    void aConfiguredDirectoryThatIsALinkIsRefused() throws IOException {
        Path real = Files.createDirectories(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);

        assertThatThrownBy(() -> new Staging(link)).hasMessageContaining("symbolic link");
    }

    @Test
    void onlyFilesReallyInsideItAreTaken() throws IOException {
        Staging staging = new Staging(dir.resolve("staging"));
        Path incoming = staging.incoming("acme");
        Path registry = Files.writeString(incoming.resolve("acme_20261124.csv"), "x");
        Path secret = Files.writeString(dir.resolve("secret.txt"), "not a registry");
        Path link = Files.createSymbolicLink(incoming.resolve("acme_20261125.csv"), secret);

        assertThat(staging.inside(registry)).isEqualTo(registry.toRealPath());
        assertThatThrownBy(() -> staging.inside(incoming.resolve("../../secret.txt")))
                .isInstanceOf(Staging.OutsideStagingException.class);
        assertThatThrownBy(() -> staging.inside(link)).isInstanceOf(Staging.OutsideStagingException.class);
        assertThatThrownBy(() -> staging.inside(incoming)).isInstanceOf(Staging.OutsideStagingException.class);
    }

    @Test
    void aServerNameThatIsNotAPlainFileNameIsNeverFetched() {
        var filter = new RemoteFiles(null).worthFetching("acme");

        for (String name : new String[] {"../x", "..", ".", "a/b", "..\\x", "/etc/passwd", "x\u0000y", ""}) {
            assertThat(filter.accept(entry(name))).as(name).isFalse();
        }
        assertThat(RemoteFiles.plainName("acme_20261124.csv")).isTrue();
        assertThat(RemoteFiles.plainName("..acme.csv")).isTrue();
    }

    static SftpClient.DirEntry entry(String name) {
        return new SftpClient.DirEntry(name, name, new SftpClient.Attributes());
    }
}

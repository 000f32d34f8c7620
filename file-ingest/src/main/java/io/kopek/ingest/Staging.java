package io.kopek.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * The staging directory, where fetched registries wait for their import: private to Kopek. Registries carry
 * payment data, and a directory others can write to is one where a planted file or link is imported as a
 * provider's registry; so it is created owner-only (0700), an existing one must be Kopek's own and is made
 * owner-only, and without a configured one each start makes a fresh one with an unpredictable name in the
 * temporary folder. A file is taken from it only when its real path (links resolved) is inside it.
 */
public final class Staging {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final Path root;

    /** The configured directory, or null for a new private one. */
    Staging(Path configured) {
        try {
            Path dir = configured == null
                    ? createPrivateTemp()
                    : ownerOnly(Files.createDirectories(configured.toAbsolutePath()));
            this.root = dir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the staging directory " + configured + ": " + e, e);
        }
    }

    /** Where it is (its real path). */
    public Path root() {
        return root;
    }

    /** Where a provider's fetched files arrive. */
    Path incoming(String provider) {
        return privateDirectory(provider);
    }

    /** Where a provider's quarantined files are kept, each with a {@code .reason.txt}. */
    Path quarantine(String provider) {
        return privateDirectory("quarantine/" + provider);
    }

    /**
     * The real path of {@code file} when it is a regular file inside the staging directory (links resolved: a link
     * that points out of it is outside).
     *
     * @throws OutsideStagingException otherwise
     */
    public Path inside(Path file) {
        Path real;
        try {
            real = file.toAbsolutePath().toRealPath();
        } catch (IOException e) {
            throw new OutsideStagingException(file + " cannot be resolved: " + e.getMessage());
        }
        if (!real.startsWith(root) || real.equals(root) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new OutsideStagingException(file + " is not a file inside the staging directory " + root);
        }
        return real;
    }

    /** A path given as a file of the staging directory that is not one. */
    public static final class OutsideStagingException extends IllegalArgumentException {
        OutsideStagingException(String message) {
            super(message);
        }
    }

    private Path privateDirectory(String relative) {
        Path dir = root.resolve(relative).normalize();
        if (!dir.startsWith(root)) {
            throw new OutsideStagingException(relative + " would be outside the staging directory");
        }
        try {
            return ownerOnly(Files.createDirectories(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean posix(Path dir) {
        return Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
    }

    private static Path createPrivateTemp() throws IOException {
        Path probe = Path.of(System.getProperty("java.io.tmpdir"));
        FileAttribute<?>[] attributes = posix(probe)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        return Files.createTempDirectory("kopek-staging-", attributes);
    }

    /** Makes the directory owner-only, after checking that Kopek owns it (a planted one is refused). */
    private static Path ownerOnly(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            throw new FileSystemException(dir.toString(), null, "is a symbolic link, not a directory of Kopek's own");
        }
        if (!posix(dir)) {
            return dir;
        }
        UserPrincipal me = dir.getFileSystem()
                .getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        UserPrincipal owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
        if (!owner.equals(me)) {
            throw new FileSystemException(
                    dir.toString(), null, "belongs to " + owner.getName() + ", not to " + me.getName());
        }
        Files.setPosixFilePermissions(dir, OWNER_ONLY);
        return dir;
    }
}

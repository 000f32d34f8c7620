package io.kopek.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;
import org.apache.sshd.sftp.client.SftpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.integration.file.filters.AbstractFileListFilter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Which files on a provider's server are worth fetching. A quarantined file stays on the server (never deleted),
 * and without a memory the intake fetched and quarantined it again on every poll, several times a second (each
 * poll takes up to 100 files, and each take of an empty local directory lists the server again). So a file
 * quarantined is remembered with its size and modification time as the server lists them, and not fetched again
 * until one of them changes: delivered anew, it is fetched once more (and, the same content, recognised by its
 * SHA-256). Names that are not a plain file name ({@code ../x}, {@code a/b}) are never fetched: the local copy
 * would be written outside the staging directory.
 */
@Component
class RemoteFiles {

    private static final Logger log = LoggerFactory.getLogger(RemoteFiles.class);

    /** A file name and nothing more: no directory part, no {@code .} or {@code ..}, no control characters. */
    private static final Pattern PLAIN_NAME = Pattern.compile("(?!\\.{1,2}$)[^/\\\\\\p{Cntrl}]{1,255}");

    private final JdbcClient jdbc;

    RemoteFiles(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The filter of a provider's listing: plain names, not quarantined as they are now. */
    AbstractFileListFilter<SftpClient.DirEntry> worthFetching(String provider) {
        return new AbstractFileListFilter<>() {
            @Override
            public boolean accept(SftpClient.DirEntry entry) {
                String name = entry.getFilename();
                if (!plainName(name)) {
                    log.warn(
                            "{}: the server lists a file named {}: not a plain file name, not fetched", provider, name);
                    return false;
                }
                SftpClient.Attributes attributes = entry.getAttributes();
                if (attributes.getModifyTime() == null) {
                    return true;
                }
                return !quarantined(
                        provider,
                        name,
                        attributes.getSize(),
                        attributes.getModifyTime().toInstant());
            }

            @Override
            public boolean supportsSingleFileFiltering() {
                return true;
            }
        };
    }

    static boolean plainName(String name) {
        return name != null && PLAIN_NAME.matcher(name).matches();
    }

    private boolean quarantined(String provider, String name, long size, Instant modified) {
        return jdbc.sql("select exists (select 1 from registry_file where provider = ? and name = ?"
                        + " and status = 'quarantined' and remote_size = ? and remote_modified_at = ?)")
                .params(provider, name, size, Timestamp.from(modified.truncatedTo(ChronoUnit.SECONDS)))
                .query(Boolean.class)
                .single();
    }

    /**
     * Remembers that the fetched {@code local} copy (its size, and the server's time kept as its modification
     * time) is the quarantined registry {@code fileId}.
     */
    void quarantined(long fileId, Path local) {
        try {
            long size = Files.size(local);
            Instant modified = Files.getLastModifiedTime(local).toInstant().truncatedTo(ChronoUnit.SECONDS);
            jdbc.sql("update registry_file set remote_size = ?, remote_modified_at = ? where id = ?")
                    .params(size, Timestamp.from(modified), fileId)
                    .update();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

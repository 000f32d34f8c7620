package io.kopek.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import org.springframework.stereotype.Component;

/**
 * Report files in a directory ({@code kopek.reports.directory}). A file is written under {@code .partial/} and moved
 * into place only when complete, so a crash never leaves a half file where a finished one is expected; a file's key
 * is its path relative to the directory, {@code 2026/12/42-reconciliation_yookassa_2026-12-03.xlsx}.
 */
@Component
class ReportStore {

    private final Path directory;

    ReportStore(ReportsProperties properties) {
        this.directory = properties.directory().toAbsolutePath().normalize();
    }

    /** A new empty file to write a run's file into. */
    Path partial(long runId) {
        try {
            Path partial = Files.createDirectories(directory.resolve(".partial"));
            return Files.createTempFile(partial, runId + "-", ".part");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a file in the report store " + directory, e);
        }
    }

    /** Moves a complete file into place and answers its key. */
    String keep(Path partial, long runId, String fileName, LocalDate day) {
        String key = "%04d/%02d/%d-%s".formatted(day.getYear(), day.getMonthValue(), runId, fileName);
        try {
            Path target = resolve(key);
            Files.createDirectories(target.getParent());
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep report file " + key, e);
        }
    }

    Path resolve(String key) {
        Path path = directory.resolve(key).normalize();
        if (!path.startsWith(directory)) {
            throw new IllegalArgumentException("not a report file key: " + key);
        }
        return path;
    }

    void delete(String key) {
        try {
            Files.deleteIfExists(resolve(key));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete report file " + key, e);
        }
    }

    static void discard(Path partial) {
        try {
            Files.deleteIfExists(partial);
        } catch (IOException ignored) {
            // a leftover partial file is harmless; the next start of the run writes a new one
        }
    }
}

package io.kopek.sandbox.registry;

import java.nio.file.Path;
import java.util.Map;

/**
 * A registry file a simulator wrote.
 *
 * @param path where
 * @param operations how many operation lines it has
 * @param lineOf the file line (or spreadsheet row) where each line-level ugliness was put
 */
public record WrittenRegistry(Path path, int operations, Map<Ugliness, Long> lineOf) {

    public WrittenRegistry {
        lineOf = Map.copyOf(lineOf);
    }

    public String fileName() {
        return path.getFileName().toString();
    }
}

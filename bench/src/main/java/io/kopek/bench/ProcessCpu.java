package io.kopek.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time spent by processes, read from Linux's {@code /proc/<pid>/stat} (user + system time of every thread,
 * reaped children excluded): the application's JVM by its pid, PostgreSQL as its processes that work for the
 * benchmark's database. Read before and after a round, the
 * difference per pair says where a pair's CPU goes.
 */
final class ProcessCpu {

    /** Clock ticks per second of {@code /proc}'s times: 100 on every Linux that Kopek runs on (USER_HZ). */
    private static final double TICKS_PER_MS = 100 / 1000.0;

    private ProcessCpu() {}

    /** Milliseconds of CPU the process has used so far; 0 once it is gone. */
    static double millis(long pid) {
        return ticks(Path.of("/proc", Long.toString(pid), "stat")) / TICKS_PER_MS;
    }

    /**
     * The CPU used so far by each of PostgreSQL's processes that work for one database: the backends connected to it
     * and the server's shared processes (checkpointer, background writer, WAL writer, the postmaster), which its
     * writes keep busy. Other databases' backends are left out (another benchmark or test on the same server), and
     * {@link #millisSince} counts only what each process used in between, so a backend that ends meanwhile takes
     * nothing away.
     */
    static Map<Long, Long> postgres(String database) {
        Map<Long, Long> ticks = new HashMap<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                String pid = process.getFileName().toString();
                if (pid.chars().allMatch(Character::isDigit) && "postgres".equals(comm(process))) {
                    String command = commandLine(process);
                    boolean backend = command.contains("(") || command.contains("[local]");
                    if (!backend || command.contains(" " + database + " ")) {
                        ticks.put(Long.parseLong(pid), ticks(process.resolve("stat")));
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return ticks;
    }

    /** Milliseconds of CPU the processes of {@code now} used since {@code before} (a new one: all of its own). */
    static double millisSince(Map<Long, Long> before, Map<Long, Long> now) {
        long total = 0;
        for (Map.Entry<Long, Long> process : now.entrySet()) {
            total += Math.max(0, process.getValue() - before.getOrDefault(process.getKey(), 0L));
        }
        return total / TICKS_PER_MS;
    }

    private static String commandLine(Path process) {
        try {
            return new String(Files.readAllBytes(process.resolve("cmdline")), java.nio.charset.StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException gone) {
            return "";
        }
    }

    private static String comm(Path process) {
        try {
            return Files.readString(process.resolve("comm")).strip();
        } catch (IOException gone) {
            return "";
        }
    }

    /** utime + stime: fields 14 and 15 of stat, counted after the command's closing parenthesis (it may hold spaces). */
    private static long ticks(Path stat) {
        String line;
        try {
            line = Files.readString(stat);
        } catch (IOException gone) {
            return 0;
        }
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        // fields[0] is stat's field 3 (state): utime is field 14, stime field 15
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}

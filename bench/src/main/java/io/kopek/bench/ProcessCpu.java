package io.kopek.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time spent by processes, read from Linux's {@code /proc/<pid>/stat} (user + system time of every thread,
 * reaped children excluded): the application's JVM by its pid, PostgreSQL as every process named {@code postgres}
 * (the backends serving the load, and the writers and vacuum they cause). Read before and after a round, the
 * difference per pair says where a pair's CPU goes.
 */
final class ProcessCpu {

    /** Clock ticks per second of {@code /proc}'s times: 100 on every Linux that Kopek runs on (USER_HZ). */
    private static final double TICKS_PER_MS = 100 / 1000.0;

    private ProcessCpu() {}

    /** Whether this machine has {@code /proc} to read (Linux). */
    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    /** Milliseconds of CPU the process has used so far; 0 once it is gone. */
    static double millis(long pid) {
        return ticks(Path.of("/proc", Long.toString(pid), "stat")) / TICKS_PER_MS;
    }

    /** Milliseconds of CPU used so far by every running process named {@code name} (e.g. {@code postgres}). */
    static double millisNamed(String name) {
        long total = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                if (process.getFileName().toString().chars().allMatch(Character::isDigit)
                        && name.equals(comm(process))) {
                    total += ticks(process.resolve("stat"));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return total / TICKS_PER_MS;
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

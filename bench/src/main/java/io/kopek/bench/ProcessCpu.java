package io.kopek.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * CPU time spent by processes, read from Linux's {@code /proc/<pid>/stat} (user + system time of every thread,
 * reaped children excluded): the application's JVM by its pid, PostgreSQL as its processes that work for the
 * benchmark's database; and every other process of the machine, kernel threads included, to tell how quiet the
 * machine was. Read before and after a round, the difference per pair says where a pair's CPU goes.
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

    /**
     * A process's name ({@code comm}), the clock ticks of CPU it has used so far, and when it started (ticks after
     * boot): a pid used again by a new process has another start. Not the name, which a kernel worker changes with
     * the work it runs.
     */
    record Usage(String name, long ticks, long started) {}

    /** What the machine's other processes used in between: their CPU in all, and the one that used most. */
    record Others(double millis, String top, double topMillis) {}

    /** Every process of the machine, kernel threads included, with the CPU it has used so far. */
    static Map<Long, Usage> machine() {
        Map<Long, Usage> usage = new HashMap<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                String pid = process.getFileName().toString();
                if (pid.chars().allMatch(Character::isDigit)) {
                    long[] stat = stat(process.resolve("stat"));
                    usage.put(Long.parseLong(pid), new Usage(comm(process), stat[0], stat[1]));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return usage;
    }

    /**
     * The CPU that the processes of {@code now} other than {@code ours} used since {@code before}: what the machine
     * spent beside the benchmark's own work. A process that ended in between is missing from it (its time is gone
     * from {@code /proc} with it).
     */
    static Others others(Map<Long, Usage> before, Map<Long, Usage> now, Set<Long> ours) {
        Map<Long, Long> used = new HashMap<>();
        now.forEach((pid, usage) -> {
            if (!ours.contains(pid)) {
                Usage earlier = before.get(pid);
                // a pid taken by a new process in between: all of the new one's time is its own
                long since = earlier == null || earlier.started() != usage.started()
                        ? usage.ticks()
                        : usage.ticks() - earlier.ticks();
                used.put(pid, Math.max(0, since));
            }
        });
        long total = used.values().stream().mapToLong(Long::longValue).sum();
        return used.entrySet().stream()
                .max(Map.Entry.comparingByValue(Comparator.naturalOrder()))
                .filter(top -> top.getValue() > 0)
                .map(top ->
                        new Others(total / TICKS_PER_MS, now.get(top.getKey()).name(), top.getValue() / TICKS_PER_MS))
                .orElse(new Others(total / TICKS_PER_MS, "none", 0));
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

    private static long ticks(Path stat) {
        return stat(stat)[0];
    }

    /**
     * utime + stime (fields 14 and 15 of stat) and starttime (field 22), counted after the command's closing
     * parenthesis (it may hold spaces); zeros for a process that is gone.
     */
    private static long[] stat(Path stat) {
        String line;
        try {
            line = Files.readString(stat);
        } catch (IOException gone) {
            return new long[2];
        }
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        // fields[0] is stat's field 3 (state)
        return new long[] {Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long.parseLong(fields[19])};
    }
}

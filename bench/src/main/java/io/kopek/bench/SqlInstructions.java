package io.kopek.bench;

import io.kopek.sandbox.LoopbackPorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The instructions a PostgreSQL backend executes for a pgbench script, counted by valgrind's callgrind: the same
 * count for the same binaries, data and statements, whatever else the machine does. Timed runs on a busy two-core
 * machine move by a tenth from one run to the next; this tells a change of a few per cent in the database's work.
 *
 * <p>A copy of the benchmark's database (and a TPC-B database, the floor) goes into a cluster of its own, under a
 * temporary directory, whose server runs under callgrind with every child process traced (a backend is a forked
 * child). A script runs on one connection once to warm the database's caches, then for {@code few} and for
 * {@code many} transactions; each run's backend writes its count when it ends, and the difference divided by
 * {@code many - few} is the count per transaction, without the connection's start and its first plans. The copies
 * are vacuumed (frozen) before the server is restarted under callgrind, so that no run pays for setting the restored
 * rows' hint bits. The server runs with
 * {@code fsync} and autovacuum off: neither is the backend's own work. As root (PostgreSQL refuses to run as root),
 * the server's commands run as the {@code postgres} user.
 */
final class SqlInstructions implements AutoCloseable {

    private static final Pattern TOTALS = Pattern.compile("(?m)^(?:summary|totals): (\\d+)");
    // the server's log lines, prefixed with the backend's pid (log_line_prefix below)
    private static final Pattern CONNECTED = Pattern.compile("(?m)^\\[(\\d+)\\] LOG:  connection authorized");
    private static final Pattern DISCONNECTED = Pattern.compile("(?m)^\\[(\\d+)\\] LOG:  disconnection");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgres;
    private Process server;

    private SqlInstructions(Path bin, Path dir, int port, boolean asPostgres) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgres = asPostgres;
    }

    /**
     * A cluster of the source server's major version holding copies of {@code databases} (dumped over
     * {@code connection}, pgbench's arguments minus the database, with {@code env}: the password) and a TPC-B
     * database at scale 1 ({@code tpcb}), its server running under callgrind.
     */
    static SqlInstructions start(
            String jdbcUrl, List<String> connection, Map<String, String> env, List<String> databases) throws Exception {
        Path valgrind = ApiBenchmark.onPath("valgrind")
                .orElseThrow(() -> new IllegalStateException(
                        "counting instructions needs valgrind on PATH (apt-get install valgrind)"));
        Path bin = binaries(serverMajor(jdbcUrl));
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("kopek-instructions-");
        SqlInstructions cluster = new SqlInstructions(bin, dir, LoopbackPorts.free(), root);
        try {
            cluster.initialize(connection, env, databases);
            cluster.server = cluster.serverUnder(valgrind);
            cluster.awaitReady();
            return cluster;
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * Instructions per transaction of the backend that runs {@code script} (pgbench's arguments: the script and its
     * variables) against {@code database}, from runs of {@code few} and {@code many} transactions on one client.
     */
    double perTransaction(String database, List<String> script, Map<String, String> env, int few, int many)
            throws Exception {
        if (few < 1 || many <= few) {
            throw new IllegalArgumentException("need 1 <= few < many, got " + few + " and " + many);
        }
        // the first backend of a database after the server's start writes its relation cache's file: not counted
        backend(database, script, env, 1);
        long fewCount = backend(database, script, env, few);
        long manyCount = backend(database, script, env, many);
        return (manyCount - fewCount) / (double) (many - few);
    }

    /**
     * The instructions of the backend that ran {@code transactions} of the script, counted when it ended: the most
     * of the backends that the server's log says connected during the run (pgbench opens a short one of its own
     * first), once the log says each has ended and its count is written.
     */
    private long backend(String database, List<String> script, Map<String, String> env, int transactions)
            throws Exception {
        long logFrom = Files.size(dir.resolve("server.log"));
        List<String> command = new ArrayList<>(List.of(
                bin.resolve("pgbench").toString(),
                "-n",
                "-c",
                "1",
                "-t",
                Integer.toString(transactions),
                "-M",
                "prepared"));
        command.addAll(script);
        command.addAll(List.of("-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres", database));
        run(command, env, false);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            String log = tail(dir.resolve("server.log"), logFrom);
            Set<String> connected = pids(CONNECTED, log);
            long most = -1;
            boolean done = !connected.isEmpty() && pids(DISCONNECTED, log).containsAll(connected);
            for (String pid : connected) {
                Path file = dir.resolve("counts/backend." + pid);
                Matcher m =
                        TOTALS.matcher(Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "");
                if (m.find()) {
                    most = Math.max(most, Long.parseLong(m.group(1)));
                } else {
                    done = false;
                }
            }
            if (done) {
                return most;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no instruction count from the backends of " + command);
            }
            Thread.sleep(200);
        }
    }

    private static Set<String> pids(Pattern line, String log) {
        Set<String> pids = new HashSet<>();
        Matcher m = line.matcher(log);
        while (m.find()) {
            pids.add(m.group(1));
        }
        return pids;
    }

    private static String tail(Path file, long from) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return new String(
                all,
                (int) Math.min(from, all.length),
                all.length - (int) Math.min(from, all.length),
                StandardCharsets.ISO_8859_1);
    }

    private void initialize(List<String> connection, Map<String, String> env, List<String> databases) throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(dir.resolve("counts"));
        if (asPostgres) {
            UserPrincipal postgres =
                    dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
            Files.setOwner(dir.resolve("counts"), postgres);
        }
        run(
                server(
                        bin.resolve("initdb").toString(),
                        "-D",
                        data.toString(),
                        "-A",
                        "trust",
                        "-U",
                        "postgres",
                        "--no-sync"),
                Map.of(),
                true);
        Files.writeString(
                data.resolve("postgresql.conf"), """

                port = %d
                listen_addresses = '127.0.0.1'
                unix_socket_directories = '%s'
                fsync = off
                autovacuum = off
                max_connections = 10
                log_connections = on
                log_disconnections = on
                log_line_prefix = '[%%p] '
                """.formatted(port, dir), java.nio.file.StandardOpenOption.APPEND);
        run(
                server(
                        bin.resolve("pg_ctl").toString(),
                        "-D",
                        data.toString(),
                        "-l",
                        dir.resolve("log").toString(),
                        "-w",
                        "start"),
                Map.of(),
                true);
        List<String> local = List.of("-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres");
        for (String database : databases) {
            Path dump = dir.resolve(database + ".dump");
            List<String> pgDump =
                    new ArrayList<>(List.of(bin.resolve("pg_dump").toString(), "-Fc", "-f", dump.toString()));
            pgDump.addAll(connection);
            pgDump.add(database);
            run(pgDump, env, false);
            run(concat(List.of(bin.resolve("createdb").toString()), local, List.of(database)), Map.of(), false);
            run(
                    concat(
                            List.of(bin.resolve("pg_restore").toString(), "--no-owner", "--no-privileges"),
                            local,
                            List.of("-d", database, dump.toString())),
                    Map.of(),
                    false);
        }
        run(concat(List.of(bin.resolve("createdb").toString()), local, List.of("tpcb")), Map.of(), false);
        run(
                concat(List.of(bin.resolve("pgbench").toString(), "-i", "-q", "-s", "1"), local, List.of("tpcb")),
                Map.of(),
                false);
        run(
                concat(
                        List.of(bin.resolve("vacuumdb").toString(), "--all", "--freeze", "--analyze", "--quiet"),
                        local,
                        List.of()),
                Map.of(),
                false);
        stop();
    }

    private Process serverUnder(Path valgrind) throws IOException {
        List<String> command = server(
                valgrind.toString(),
                "--tool=callgrind",
                "--trace-children=yes",
                "--callgrind-out-file=" + dir.resolve("counts/backend.%p"),
                bin.resolve("postgres").toString(),
                "-D",
                dir.resolve("data").toString());
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile())
                .start();
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
        while (true) {
            try (var connection = DriverManager.getConnection(url)) {
                return;
            } catch (SQLException e) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "PostgreSQL under callgrind did not start: " + Files.readString(dir.resolve("server.log")),
                            e);
                }
                Thread.sleep(500);
            }
        }
    }

    /** A command of the server's own (initdb, pg_ctl, postgres), as the postgres user when this is root. */
    private List<String> server(String... command) {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        return full;
    }

    private void run(List<String> command, Map<String, String> env, boolean inDir) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        if (inDir) {
            builder.directory(dir.toFile());
        }
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
    }

    @Override
    public void close() throws Exception {
        if (server != null && server.isAlive()) {
            // a fast shutdown: the backends end, each writing its count as it exits
            stop();
            server.waitFor();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private void stop() throws Exception {
        run(
                server(
                        bin.resolve("pg_ctl").toString(),
                        "-D",
                        dir.resolve("data").toString(),
                        "-w",
                        "-m",
                        "fast",
                        "stop"),
                Map.of(),
                true);
    }

    private static List<String> concat(List<String> a, List<String> b, List<String> c) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        return all;
    }

    /** The source server's major version, whose binaries must make the copy and run it. */
    private static int serverMajor(String jdbcUrl) throws SQLException {
        try (var connection = DriverManager.getConnection(jdbcUrl);
                var rs = connection.createStatement().executeQuery("show server_version_num")) {
            rs.next();
            return Integer.parseInt(rs.getString(1)) / 10_000;
        }
    }

    private static Path binaries(int major) {
        Path bin = Path.of("/usr/lib/postgresql", Integer.toString(major), "bin");
        for (String tool : List.of("initdb", "pg_ctl", "postgres", "pg_dump", "pg_restore", "pgbench", "vacuumdb")) {
            if (!Files.isExecutable(bin.resolve(tool))) {
                throw new IllegalStateException("counting instructions needs PostgreSQL " + major
                        + "'s server binaries under " + bin + " (" + tool + " is missing)");
            }
        }
        return bin;
    }
}

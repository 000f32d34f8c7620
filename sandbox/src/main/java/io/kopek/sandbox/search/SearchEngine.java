package io.kopek.sandbox.search;

import io.kopek.sandbox.LoopbackPorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Elasticsearch 8.19 node for tests, the demo and the benchmarks: the integration-test distribution from Maven
 * Central ({@code org.elasticsearch.distribution.integ-test-zip:elasticsearch}), unpacked once under the temporary
 * directory and started as a process of its own on a free loopback port, single node, security off, with a data
 * directory of its own that is deleted when it stops. The distribution is minimal (no {@code GET /}, no scaled floats,
 * no painless, no ingest pipelines): Kopek uses none of them.
 *
 * <p>Elasticsearch refuses to run as root; as root the node runs as {@code nobody} (through {@code runuser}), which
 * is why its files live under the temporary directory and not in the build's.
 */
public final class SearchEngine implements AutoCloseable {

    /** The version of the distribution and of the Java client that talks to it. */
    public static final String VERSION = "8.19.21";

    /** Where the build says the distribution's zip is ({@code dependency:properties}), else the local Maven repository. */
    public static final String DISTRIBUTION_PROPERTY = "kopek.search.distribution";

    private static final Logger log = LoggerFactory.getLogger(SearchEngine.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Path HOME = Path.of(System.getProperty("java.io.tmpdir"), "kopek-search");
    private static SearchEngine shared;

    private final List<String> command;
    private final Path data;
    private final int port;
    private volatile Process process;

    private SearchEngine(List<String> command, Process process, Path data, int port) {
        this.command = command;
        this.process = process;
        this.data = data;
        this.port = port;
    }

    /** One node for this JVM, started on first use and stopped when the JVM exits: what a test suite shares. */
    public static synchronized SearchEngine shared() {
        if (shared == null || !shared.process.isAlive()) {
            shared = start(distribution(), "512m");
            SearchEngine engine = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(engine::close, "search-engine-stop"));
        }
        return shared;
    }

    /** The distribution's zip: the build's property, else where Maven keeps it. Whether it is there, {@link #available()}. */
    public static Path distribution() {
        String configured = System.getProperty(DISTRIBUTION_PROPERTY);
        if (configured != null && !configured.isBlank() && !configured.startsWith("${")) {
            return Path.of(configured);
        }
        return Path.of(
                System.getProperty("user.home"),
                ".m2/repository/org/elasticsearch/distribution/integ-test-zip/elasticsearch",
                VERSION,
                "elasticsearch-" + VERSION + ".zip");
    }

    /** Whether a node can be started here: the distribution is there. */
    public static boolean available() {
        return Files.isRegularFile(distribution());
    }

    /** Starts a node with the heap given ({@code 512m}) and waits until it answers, at most 90 s. */
    public static SearchEngine start(Path zip, String heap) {
        return start(zip, heap, LoopbackPorts.free());
    }

    /**
     * {@link #start(Path, String)} on the loopback port given: for a caller that must name the node's address before
     * it answers (the demo configures the application while its node starts). A node that exits while starting is
     * started once more, afresh: one bad start (the port taken meanwhile, a crash) does not leave the caller without
     * an index; its console's last lines are logged.
     */
    public static SearchEngine start(Path zip, String heap, int port) {
        try {
            return startOnce(zip, heap, port);
        } catch (ExitedWhileStarting first) {
            log.warn("search engine: the node exited while starting; starting it once more: {}", first.getMessage());
            try {
                return startOnce(zip, heap, port);
            } catch (ExitedWhileStarting second) {
                second.addSuppressed(first);
                throw second;
            }
        }
    }

    private static SearchEngine startOnce(Path zip, String heap, int port) {
        try {
            Path install = unpacked(zip);
            boolean root = "root".equals(System.getProperty("user.name"));
            Files.createDirectories(HOME);
            Path data = Files.createTempDirectory(HOME, "node-");
            Files.createDirectories(data.resolve("data"));
            Files.createDirectories(data.resolve("logs"));
            // A configuration folder of the node's own: the node writes its keystore there.
            try (Stream<Path> files = Files.list(install.resolve("config"))) {
                Files.createDirectories(data.resolve("config"));
                for (Path file : files.toList()) {
                    if (Files.isRegularFile(file)) {
                        Files.copy(file, data.resolve("config").resolve(file.getFileName()));
                    }
                }
            }
            List<String> command = new ArrayList<>();
            if (root) {
                command.addAll(List.of("runuser", "-u", "nobody", "--"));
            }
            command.addAll(List.of(
                    "env",
                    "ES_JAVA_HOME=" + System.getProperty("java.home"),
                    "ES_JAVA_OPTS=-Xms" + heap + " -Xmx" + heap + " -XX:ActiveProcessorCount=2",
                    "ES_TMPDIR=" + data.resolve("tmp"),
                    "ES_PATH_CONF=" + data.resolve("config"),
                    install.resolve("bin/elasticsearch").toString(),
                    "-Ediscovery.type=single-node",
                    "-Expack.security.enabled=false",
                    "-Enetwork.host=127.0.0.1",
                    "-Ehttp.port=" + port,
                    "-Etransport.port=0",
                    "-Epath.data=" + data.resolve("data"),
                    "-Epath.logs=" + data.resolve("logs"),
                    "-Ecluster.name=kopek-" + UUID.randomUUID().toString().substring(0, 8),
                    "-Ecluster.routing.allocation.disk.threshold_enabled=false",
                    "-Eaction.destructive_requires_name=false"));
            Files.createDirectories(data.resolve("tmp"));
            if (root) {
                run("chown", "-R", "nobody", data.toString());
            }
            SearchEngine engine = new SearchEngine(List.copyOf(command), launch(command, data), data, port);
            try {
                engine.awaitHealthy();
            } catch (ExitedWhileStarting exited) {
                engine.close();
                throw exited;
            }
            log.info("search engine: Elasticsearch {} on {}", VERSION, engine.uri());
            return engine;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Process launch(List<String> command, Path data) throws IOException {
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        data.resolve("console.log").toFile()))
                .start();
    }

    /**
     * Stops the node as an outage would (SIGTERM), keeping its data and its port, so that {@link #restart()} brings the
     * same node back: what a test of the engine going away in the middle of work needs.
     */
    public synchronized void stop() {
        stopProcess();
    }

    /** Starts a node {@link #stop() stopped} again, on the same port with the same data, and waits until it answers. */
    public synchronized void restart() {
        if (process.isAlive()) {
            return;
        }
        try {
            process = launch(command, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitHealthy();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops the node (SIGTERM, then kill after 30 s) and deletes its data. */
    @Override
    public synchronized void close() {
        stopProcess();
        deleteQuietly(data);
    }

    private void stopProcess() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle child : tree) {
                child.onExit().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            tree.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private void awaitHealthy() {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(uri().resolve("/_cluster/health?wait_for_status=yellow&timeout=5s"))
                .timeout(Duration.ofSeconds(10))
                .build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new ExitedWhileStarting(process.exitValue(), tail());
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sleep(250);
        }
        close();
        throw new IllegalStateException("the search engine did not answer within " + START_TIMEOUT + ": " + tail());
    }

    /**
     * What the node's console said last, for a failure's message: the lines that name an error or an exception (a
     * stack trace's frames left out), then its last lines.
     */
    private String tail() {
        try {
            List<String> lines = Files.readAllLines(data.resolve("console.log"));
            List<String> said = new ArrayList<>(lines.stream()
                    .filter(line ->
                            line.contains("ERROR") || line.contains("Exception:") || line.startsWith("Caused by"))
                    .limit(12)
                    .toList());
            said.add("(the console's last lines:)");
            said.addAll(lines.subList(Math.max(0, lines.size() - 12), lines.size()));
            return String.join("\n", said);
        } catch (IOException e) {
            return "(no console output)";
        }
    }

    /** The node's process ended before it answered: its exit code and its console's last lines. */
    private static final class ExitedWhileStarting extends IllegalStateException {
        ExitedWhileStarting(int exitCode, String console) {
            super("the search engine exited while starting (exit code " + exitCode + "): " + console);
        }
    }

    /** The distribution unpacked once per machine, readable by everyone; unpacked aside and moved in whole. */
    private static synchronized Path unpacked(Path zip) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("no Elasticsearch distribution at " + zip
                    + " (org.elasticsearch.distribution.integ-test-zip:elasticsearch:" + VERSION + ":zip)");
        }
        Path install = HOME.resolve("elasticsearch-" + VERSION);
        if (Files.isExecutable(install.resolve("bin/elasticsearch"))) {
            return install;
        }
        Files.createDirectories(HOME);
        Files.setPosixFilePermissions(HOME, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path aside = Files.createTempDirectory(HOME, "unpacking-");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path target = aside.resolve(entry.getName()).normalize();
                if (!target.startsWith(aside)) {
                    throw new IOException("zip entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    copy(in, target);
                }
            }
        }
        try (Stream<Path> bins = Files.list(aside.resolve("elasticsearch-" + VERSION + "/bin"))) {
            bins.forEach(bin -> bin.toFile().setExecutable(true, false));
        }
        try (Stream<Path> all = Files.walk(aside)) {
            all.forEach(p -> {
                p.toFile().setReadable(true, false);
                if (Files.isDirectory(p)) {
                    p.toFile().setExecutable(true, false);
                }
            });
        }
        // The JDK's own executables inside the distribution (jdk/ is absent in this one) and its native helpers.
        try (Stream<Path> natives = Files.walk(aside)) {
            natives.filter(p -> p.toString().contains("/platform/")
                            || p.getFileName().toString().endsWith(".sh"))
                    .forEach(p -> p.toFile().setExecutable(true, false));
        }
        try {
            Files.move(aside.resolve("elasticsearch-" + VERSION), install, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
            if (!Files.isExecutable(install.resolve("bin/elasticsearch"))) {
                throw raced;
            }
        }
        deleteQuietly(aside);
        return install;
    }

    private static void copy(InputStream in, Path target) throws IOException {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void run(String... command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + p.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            log.debug("could not delete {}", dir, e);
        }
    }
}

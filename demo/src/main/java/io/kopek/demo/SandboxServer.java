package io.kopek.demo;

import io.kopek.sandbox.acme.AcmeProcessingSimulator;
import io.kopek.sandbox.atol.AtolSimulator;
import io.kopek.sandbox.registry.SettlementRegistry;
import io.kopek.sandbox.registry.WrittenRegistry;
import io.kopek.sandbox.sber.SberSimulator;
import io.kopek.sandbox.yookassa.YooKassaSimulator;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The providers' and the fiscal operator's simulators as one process of their own, for the compose file's
 * {@code sandbox} service (the Dockerfile's {@code sandbox} target): YooKassa, Sber acquiring, Acme processing and
 * ATOL Online on fixed ports of every interface, with the credentials the environment gives (the same ones Kopek is
 * given for them), their callbacks sent to {@code KOPEK_SANDBOX_CALLBACKS}, and, with
 * {@code KOPEK_SANDBOX_REGISTRIES}, each provider's settlement registry of a business day dropped in its folder there
 * once the day is over in the provider's zone (the folder an SFTP server serves to Kopek's intake). Prints what it
 * serves, then runs until it is stopped. The demo runs the same simulators inside the application instead
 * ({@link DemoSandbox}); neither is in the production jar.
 */
public final class SandboxServer implements AutoCloseable {

    private final YooKassaSimulator yookassa;
    private final SberSimulator sber;
    private final AcmeProcessingSimulator acme;
    private final AtolSimulator atol;
    private final Path registries;
    private final Set<String> delivered = new HashSet<>();
    private final ScheduledExecutorService deliveries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sandbox-registries");
        t.setDaemon(true);
        return t;
    });

    /** Where and as whom the simulators listen; read from the environment by {@link #settings}. */
    record Settings(
            InetAddress bind,
            int yookassaPort,
            int sberPort,
            int acmePort,
            int atolPort,
            String yookassaShopId,
            String yookassaSecretKey,
            String sberUserName,
            String sberPassword,
            String sberCallbackKey,
            String acmeApiKey,
            String acmeCallbackSecret,
            String atolLogin,
            String atolPassword,
            String atolGroup,
            URI callbacks,
            Path registries) {}

    private SandboxServer(Settings s) throws IOException {
        yookassa = YooKassaSimulator.start(s.bind(), s.yookassaPort(), s.yookassaShopId(), s.yookassaSecretKey());
        sber = SberSimulator.start(s.bind(), s.sberPort(), s.sberUserName(), s.sberPassword(), s.sberCallbackKey());
        acme = AcmeProcessingSimulator.start(s.bind(), s.acmePort(), s.acmeApiKey(), s.acmeCallbackSecret());
        atol = AtolSimulator.start(s.bind(), s.atolPort(), s.atolLogin(), s.atolPassword(), s.atolGroup());
        if (s.callbacks() != null) {
            yookassa.notifyTo(s.callbacks().resolve("yookassa"));
            sber.callbacksTo(s.callbacks().resolve("sber"));
            acme.callbacksTo(s.callbacks().resolve("acme"));
        }
        registries = s.registries();
    }

    /** Starts every simulator; with a registries folder, checks every minute for days to deliver. */
    static SandboxServer start(Settings settings) throws IOException {
        SandboxServer server = new SandboxServer(settings);
        if (server.registries != null) {
            for (SettlementRegistry registry : server.registries()) {
                Files.createDirectories(server.registries.resolve(registry.provider()));
            }
            server.deliveries.scheduleWithFixedDelay(server::deliverQuietly, 0, 1, TimeUnit.MINUTES);
        }
        return server;
    }

    public static void main(String[] args) throws Exception {
        quietLogs();
        Settings settings;
        try {
            settings = settings(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("kopek sandbox: " + e.getMessage());
            System.exit(2);
            return;
        }
        SandboxServer server = start(settings);
        server.describe(settings, System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    /**
     * The settings from {@code KOPEK_SANDBOX_*}: ports default to 8101 (YooKassa), 8102 (Sber), 8103 (Acme) and 8104
     * (ATOL); every credential is required, since Kopek must be given the same one: a secret from its variable, or from
     * the file under {@code KOPEK_SANDBOX_SECRETS} named after the Kopek property that takes the same value (compose
     * mounts one secret file into both: Kopek reads it through a config tree, the sandbox by its name).
     */
    static Settings settings(Map<String, String> env) {
        Credentials c = new Credentials(
                env, blank(env.get("KOPEK_SANDBOX_SECRETS")) ? null : Path.of(env.get("KOPEK_SANDBOX_SECRETS")));
        InetAddress bind;
        try {
            bind = InetAddress.getByName(env.getOrDefault("KOPEK_SANDBOX_BIND", "0.0.0.0"));
        } catch (IOException e) {
            throw new IllegalArgumentException("KOPEK_SANDBOX_BIND: " + e.getMessage());
        }
        Settings settings = new Settings(
                bind,
                port(env, "KOPEK_SANDBOX_YOOKASSA_PORT", 8101),
                port(env, "KOPEK_SANDBOX_SBER_PORT", 8102),
                port(env, "KOPEK_SANDBOX_ACME_PORT", 8103),
                port(env, "KOPEK_SANDBOX_ATOL_PORT", 8104),
                c.plain("KOPEK_SANDBOX_YOOKASSA_SHOP_ID"),
                c.secret("KOPEK_SANDBOX_YOOKASSA_SECRET_KEY", "kopek.providers.yookassa.secret-key"),
                c.plain("KOPEK_SANDBOX_SBER_USER_NAME"),
                c.secret("KOPEK_SANDBOX_SBER_PASSWORD", "kopek.providers.sber.password"),
                c.secret("KOPEK_SANDBOX_SBER_CALLBACK_KEY", "kopek.providers.sber.callback-key"),
                c.secret("KOPEK_SANDBOX_ACME_API_KEY", "kopek.generic-processors.acme.api-key"),
                c.secret("KOPEK_SANDBOX_ACME_CALLBACK_SECRET", "kopek.generic-processors.acme.callback.secret"),
                c.plain("KOPEK_SANDBOX_ATOL_LOGIN"),
                c.secret("KOPEK_SANDBOX_ATOL_PASSWORD", "kopek.fiscal.atol.password"),
                c.plain("KOPEK_SANDBOX_ATOL_GROUP"),
                blank(env.get("KOPEK_SANDBOX_CALLBACKS")) ? null : directory(env.get("KOPEK_SANDBOX_CALLBACKS")),
                blank(env.get("KOPEK_SANDBOX_REGISTRIES")) ? null : Path.of(env.get("KOPEK_SANDBOX_REGISTRIES")));
        if (!c.missing.isEmpty()) {
            throw new IllegalArgumentException("set " + String.join(", ", c.missing)
                    + " (the same credentials Kopek is given for the simulated providers and ATOL)");
        }
        return settings;
    }

    /** Credentials read from the environment or secret files, collecting what is missing to name it all at once. */
    private static final class Credentials {
        private final Map<String, String> env;
        private final Path secrets;
        private final List<String> missing = new ArrayList<>();

        Credentials(Map<String, String> env, Path secrets) {
            this.env = env;
            this.secrets = secrets;
        }

        String plain(String name) {
            String value = env.get(name);
            if (blank(value)) {
                missing.add(name);
                return "";
            }
            return value.strip();
        }

        String secret(String name, String property) {
            String value = env.get(name);
            Path file = secrets == null ? null : secrets.resolve(property);
            if (blank(value) && file != null && Files.isReadable(file)) {
                try {
                    value = Files.readString(file).strip();
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
                }
            }
            if (blank(value)) {
                missing.add(name + (file == null ? "" : " (or the file " + file + ")"));
                return "";
            }
            return value.strip();
        }
    }

    void describe(Settings s, PrintStream out) {
        String host = s.bind().isAnyLocalAddress() ? "<this host>" : s.bind().getHostAddress();
        out.println("kopek sandbox: YooKassa v3      http://" + host + ":" + s.yookassaPort() + "/v3/");
        out.println("kopek sandbox: Sber acquiring   http://" + host + ":" + s.sberPort() + "/payment/rest/");
        out.println("kopek sandbox: Acme processing  http://" + host + ":" + s.acmePort() + "/api/");
        out.println("kopek sandbox: ATOL Online v5   http://" + host + ":" + s.atolPort() + "/possystem/v5/");
        out.println("kopek sandbox: callbacks to     " + (s.callbacks() == null ? "(none)" : s.callbacks()));
        out.println("kopek sandbox: registries into  "
                + (s.registries() == null ? "(none)" : s.registries() + "/<provider>/, each day once it is over"));
        out.flush();
    }

    /**
     * Drops each provider's registries of the days that are over in its zone and that it settled anything on, each
     * day once: written aside, then moved in whole, as an upload completes.
     */
    synchronized List<Path> deliverClosedDays() throws IOException {
        List<Path> written = new ArrayList<>();
        for (SettlementRegistry registry : registries()) {
            LocalDate today = LocalDate.now(registry.zone());
            for (LocalDate day = today.minusDays(7); day.isBefore(today); day = day.plusDays(1)) {
                if (registry.settledOn(day).isEmpty() || !delivered.add(registry.provider() + "/" + day)) {
                    continue;
                }
                Path inbox = Files.createDirectories(registries.resolve(registry.provider()));
                Path aside = Files.createTempDirectory("kopek-sandbox-registry");
                for (WrittenRegistry file : registry.write(day, aside, Set.of())) {
                    written.add(Files.move(
                            file.path(), inbox.resolve(file.fileName()), StandardCopyOption.REPLACE_EXISTING));
                }
                Files.delete(aside);
            }
        }
        return written;
    }

    private void deliverQuietly() {
        try {
            for (Path file : deliverClosedDays()) {
                System.out.println("kopek sandbox: delivered " + registries.relativize(file));
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("kopek sandbox: registries not delivered: " + e);
        }
    }

    private List<SettlementRegistry> registries() {
        return List.of(yookassa.registry(), sber.registry(), acme.registry());
    }

    @Override
    public void close() {
        deliveries.shutdownNow();
        yookassa.close();
        sber.close();
        acme.close();
        atol.close();
    }

    private static int port(Map<String, String> env, String name, int otherwise) {
        String value = env.get(name);
        if (blank(value)) {
            return otherwise;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a port: " + value);
        }
    }

    /** The callbacks' base, ending in a slash so that each provider's name resolves under it. */
    private static URI directory(String url) {
        return URI.create(url.endsWith("/") ? url : url + "/");
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** Logback without a configuration logs everything at DEBUG; the simulators' INFO lines are enough here. */
    private static void quietLogs() {
        if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.INFO);
        }
    }
}

package io.kopek.demo;

import io.kopek.sandbox.LoopbackPorts;
import io.kopek.sandbox.search.SearchEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * In the demo the payment providers and the fiscal data operator (ATOL Online) are the sandbox's simulators, run
 * in-process by {@link DemoSandbox}: this picks them free loopback ports and throwaway credentials, and points the
 * provider modules and the fiscal gateway at them (with the demo merchant as the seller on receipts), before any
 * bean reads its configuration. Nothing here applies outside the {@code demo} profile.
 */
public class DemoSandboxSettings implements EnvironmentPostProcessor, Ordered {

    static final String SOURCE = "kopekDemoSandbox";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!Arrays.asList(environment.getActiveProfiles()).contains("demo")
                || environment.getPropertySources().contains(SOURCE)) {
            return;
        }
        Map<String, Object> p = new HashMap<>();
        int yookassa = LoopbackPorts.free(),
                sber = LoopbackPorts.free(),
                acme = LoopbackPorts.free(),
                atol = LoopbackPorts.free();
        p.put("kopek.demo.sandbox.yookassa-port", yookassa);
        p.put("kopek.demo.sandbox.sber-port", sber);
        p.put("kopek.demo.sandbox.acme-port", acme);
        p.put("kopek.demo.sandbox.atol-port", atol);
        p.put("kopek.providers.yookassa.enabled", "true");
        p.put("kopek.providers.yookassa.base-url", "http://127.0.0.1:" + yookassa + "/v3/");
        p.put("kopek.providers.yookassa.shop-id", "demo-shop");
        p.put("kopek.providers.yookassa.secret-key", secret());
        p.put("kopek.providers.yookassa.notification-addresses", "127.0.0.1/32");
        p.put("kopek.providers.sber.enabled", "true");
        p.put("kopek.providers.sber.base-url", "http://127.0.0.1:" + sber + "/payment/rest/");
        p.put("kopek.providers.sber.user-name", "demo-api");
        p.put("kopek.providers.sber.password", secret());
        p.put("kopek.providers.sber.callback-key", secret());
        p.put("kopek.generic-processors.acme.base-url", "http://127.0.0.1:" + acme + "/api/");
        p.put("kopek.generic-processors.acme.api-key", secret());
        p.put("kopek.generic-processors.acme.callback.secret", secret());
        // Receipts of the demo merchant (OOO Demo Shop, its ИНН as DemoData gives it) go to the simulated ATOL Online.
        p.put("kopek.fiscal.enabled", "true");
        p.put("kopek.fiscal.company.inn", DemoData.DEMO_INN);
        p.put("kopek.fiscal.company.sno", "osn");
        p.put("kopek.fiscal.company.email", "shop@demo.example");
        p.put("kopek.fiscal.company.payment-address", "https://shop.demo.example");
        p.put("kopek.fiscal.operator", "atol");
        p.put("kopek.fiscal.atol.enabled", "true");
        p.put("kopek.fiscal.atol.base-url", "http://127.0.0.1:" + atol + "/possystem/v5/");
        p.put("kopek.fiscal.atol.login", "demo-atol");
        p.put("kopek.fiscal.atol.password", secret());
        p.put("kopek.fiscal.atol.group", "demo-group_1");
        // The providers' SFTP server: each drops its settlement registries in a directory of its own.
        // The intake checks the server's host key against a known_hosts file, which DemoSandbox writes once its
        // SFTP server has made its key (the intake reads it at its first connection), as operators do with a
        // provider's real server.
        int sftp = LoopbackPorts.free();
        String sftpPassword = secret();
        Path knownHosts = knownHostsFile();
        p.put("kopek.demo.sandbox.sftp-port", sftp);
        p.put("kopek.demo.sandbox.sftp-password", sftpPassword);
        p.put("kopek.demo.sandbox.sftp-known-hosts", knownHosts.toString());
        for (String provider : new String[] {"yookassa", "sber", "acme"}) {
            String source = "kopek.ingest.sources." + provider + ".";
            p.put(source + "host", "127.0.0.1");
            p.put(source + "port", sftp);
            p.put(source + "user", "kopek");
            p.put(source + "password", sftpPassword);
            p.put(source + "known-hosts", knownHosts.toString());
            p.put(source + "remote-directory", "/" + provider);
            p.put(source + "poll-every", "5s");
        }
        // Mail: an in-process SMTP server (DemoMail) on loopback receives what Kopek sends; a staff group hears of
        // every staff alert, in digests of half a minute.
        int smtp = LoopbackPorts.free();
        p.put("kopek.demo.sandbox.smtp-port", smtp);
        p.put("spring.mail.host", "127.0.0.1");
        p.put("spring.mail.port", smtp);
        p.put("kopek.notifications.mail.from", "OOO Demo Shop <billing@shop.demo.example>");
        p.put("kopek.notifications.mail.staff.digest-window", "30s");
        p.put("kopek.notifications.mail.staff.groups.operations.recipients", "ops@shop.demo.example");
        p.put("kopek.notifications.mail.staff.groups.operations.language", "en");
        p.put(
                "kopek.notifications.mail.staff.groups.operations.events",
                "job_run.failed,reconciliation.completed,fiscal.receipt_failed,fiscal.receipt_invalid,"
                        + "registry.quarantined,fiscal.unfiscalized,search.drift_found,webhook_endpoint.disabled");
        // Webhooks: the demo's receiver (DemoWebhooks) listens on loopback over plain HTTP, which production refuses;
        // endpoints' secrets are sealed under a key made up at each start (the demo's endpoints are made anew too).
        p.put("kopek.notifications.webhooks.allow-http", "true");
        p.put("kopek.notifications.webhooks.allowed-networks", "127.0.0.0/8");
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        p.put(
                "kopek.notifications.webhooks.secret-key",
                java.util.Base64.getEncoder().encodeToString(key));
        search(environment, p);
        environment.getPropertySources().addFirst(new MapPropertySource(SOURCE, p));
    }

    /**
     * The search index on a real Elasticsearch node of the demo's own ({@link DemoSearch}), started now in the
     * background on a port chosen here, unless {@code kopek.demo.search=off} ({@code KOPEK_SEARCH=off} to the script)
     * or the distribution is not in the local Maven repository; then the demo runs without the index.
     */
    private static void search(ConfigurableEnvironment environment, Map<String, Object> p) {
        if ("off".equalsIgnoreCase(environment.getProperty("kopek.demo.search", "on"))) {
            DemoSearch.off("KOPEK_SEARCH=off");
            return;
        }
        String configured = environment.getProperty("kopek.demo.search-distribution");
        if (configured != null && !configured.isBlank()) {
            System.setProperty(SearchEngine.DISTRIBUTION_PROPERTY, configured);
        }
        if (!SearchEngine.available()) {
            DemoSearch.off("no Elasticsearch distribution at " + SearchEngine.distribution()
                    + "; ./mvnw dependency:get -Dartifact=org.elasticsearch.distribution.integ-test-zip:elasticsearch:"
                    + SearchEngine.VERSION + ":zip fetches it");
            return;
        }
        int port = LoopbackPorts.free();
        DemoSearch.start(SearchEngine.distribution(), port);
        p.put("kopek.search.enabled", "true");
        p.put("kopek.search.uris", "http://127.0.0.1:" + port);
        // the node answers some seconds after the application: the indexer retries soon rather than backing off long
        p.put("kopek.search.retry.max", "2s");
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after the config files are loaded, so their profiles are known
    }

    private static String secret() {
        return UUID.randomUUID().toString();
    }

    private static Path knownHostsFile() {
        try {
            Path file = Files.createTempFile("kopek-demo-known-hosts", "");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

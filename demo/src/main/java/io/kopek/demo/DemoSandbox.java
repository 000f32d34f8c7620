package io.kopek.demo;

import io.kopek.sandbox.acme.AcmeProcessingSimulator;
import io.kopek.sandbox.atol.AtolSimulator;
import io.kopek.sandbox.registry.SettlementRegistry;
import io.kopek.sandbox.registry.WrittenRegistry;
import io.kopek.sandbox.sber.SberSimulator;
import io.kopek.sandbox.sftp.SftpSimulator;
import io.kopek.sandbox.yookassa.YooKassaSimulator;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The providers' simulators and the fiscal data operator's (ATOL Online), running inside the demo on the ports {@link DemoSandboxSettings} chose, with the
 * credentials it made up; their callbacks come back to this application once its web server is up.
 */
@Component
@Profile("demo")
class DemoSandbox implements DisposableBean {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DemoSandbox.class);

    private final YooKassaSimulator yookassa;
    private final SberSimulator sber;
    private final AcmeProcessingSimulator acme;
    private final AtolSimulator atol;
    private final SftpSimulator sftp;

    DemoSandbox(Environment env) throws IOException {
        yookassa = YooKassaSimulator.start(
                env.getRequiredProperty("kopek.demo.sandbox.yookassa-port", Integer.class),
                env.getRequiredProperty("kopek.providers.yookassa.shop-id"),
                env.getRequiredProperty("kopek.providers.yookassa.secret-key"));
        // YooKassa takes 3.0 % where the demo shop's rules expect 2.8 %: each of its settled payments is a
        // fee_mismatch, the discrepancies the console shows and people resolve.
        yookassa.registry().commissionRate(300);
        sber = SberSimulator.start(
                env.getRequiredProperty("kopek.demo.sandbox.sber-port", Integer.class),
                env.getRequiredProperty("kopek.providers.sber.user-name"),
                env.getRequiredProperty("kopek.providers.sber.password"),
                env.getRequiredProperty("kopek.providers.sber.callback-key"));
        acme = AcmeProcessingSimulator.start(
                env.getRequiredProperty("kopek.demo.sandbox.acme-port", Integer.class),
                env.getRequiredProperty("kopek.generic-processors.acme.api-key"),
                env.getRequiredProperty("kopek.generic-processors.acme.callback.secret"));
        atol = AtolSimulator.start(
                env.getRequiredProperty("kopek.demo.sandbox.atol-port", Integer.class),
                env.getRequiredProperty("kopek.fiscal.atol.login"),
                env.getRequiredProperty("kopek.fiscal.atol.password"),
                env.getRequiredProperty("kopek.fiscal.atol.group"));
        sftp = SftpSimulator.serving(Files.createTempDirectory("kopek-demo-sftp"))
                .port(env.getRequiredProperty("kopek.demo.sandbox.sftp-port", Integer.class))
                .user("kopek", env.getRequiredProperty("kopek.demo.sandbox.sftp-password"))
                .start();
        Files.writeString(
                Path.of(env.getRequiredProperty("kopek.demo.sandbox.sftp-known-hosts")), sftp.knownHostsLine() + "\n");
        for (String provider : List.of("yookassa", "sber", "acme")) {
            Files.createDirectories(sftp.root().resolve(provider)); // each provider's drop, empty until it delivers
        }
    }

    /**
     * Each provider drops its settlement registry of today (in its zone) on the SFTP server (written aside, then
     * moved in whole, as an upload completes); answers the providers that delivered, with their day, for the day's
     * settlement chain to fetch, import, reconcile and report.
     */
    Map<String, LocalDate> deliverTodaysRegistries() throws IOException {
        Map<String, LocalDate> delivered = new LinkedHashMap<>();
        for (SettlementRegistry registry : List.of(yookassa.registry(), sber.registry(), acme.registry())) {
            LocalDate day = LocalDate.now(registry.zone());
            if (registry.settledOn(day).isEmpty()) {
                continue;
            }
            Path inbox = Files.createDirectories(sftp.root().resolve(registry.provider()));
            Path aside = Files.createTempDirectory("kopek-demo-registry");
            for (WrittenRegistry written : registry.write(day, aside, Set.of())) {
                Files.move(written.path(), inbox.resolve(written.fileName()), StandardCopyOption.ATOMIC_MOVE);
                log.info("demo: {} delivered its registry {} over SFTP", registry.provider(), written.fileName());
            }
            delivered.put(registry.provider(), day);
        }
        return delivered;
    }

    @EventListener
    void callbacksHere(WebServerInitializedEvent event) {
        String base = "http://127.0.0.1:" + event.getWebServer().getPort() + "/api/v1/callbacks/";
        yookassa.notifyTo(URI.create(base + "yookassa"));
        sber.callbacksTo(URI.create(base + "sber"));
        acme.callbacksTo(URI.create(base + "acme"));
    }

    @Override
    public void destroy() {
        yookassa.close();
        sber.close();
        acme.close();
        atol.close();
        sftp.close();
    }
}

package io.kopek.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.IngestTestApplication;
import io.kopek.sandbox.sftp.SftpSimulator;
import io.kopek.schedule.ScheduledWork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The intake against a real SFTP server (Apache MINA SSHD), fetched on demand: what it fetches, how often, and where
 * it keeps it; and the provider's schedule that does it during the day. The import is the real one; the test only
 * counts the files handed to it.
 */
@SpringBootTest(classes = IngestTestApplication.class)
@Import(SftpIntakeTest.Counting.class)
class SftpIntakeTest {

    static final Path outbox;
    static final SftpSimulator sftp;

    static {
        try {
            Path root = Files.createTempDirectory("intake-sftp");
            outbox = Files.createDirectories(root.resolve("outbox"));
            sftp = SftpSimulator.serving(root).user("kopek", "secret").start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void server(DynamicPropertyRegistry p) {
        p.add("kopek.ingest.sources.nobody.host", sftp::host);
        p.add("kopek.ingest.sources.nobody.port", sftp::port);
        p.add("kopek.ingest.sources.nobody.user", () -> "kopek");
        p.add("kopek.ingest.sources.nobody.password", () -> "secret");
        p.add("kopek.ingest.sources.nobody.allow-unknown-host-key", () -> "true");
        p.add("kopek.ingest.sources.nobody.remote-directory", () -> "/outbox");
        p.add("kopek.ingest.sources.nobody.poll-every", () -> "30s");
    }

    @AfterAll
    static void stop() {
        sftp.close();
    }

    /** Counts the files the intake hands to the import, per name. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Counting {
        static final java.util.Map<String, AtomicInteger> takes = new java.util.concurrent.ConcurrentHashMap<>();

        @Bean
        @Primary
        FetchedRegistries countingImport(RegistryImport imports) {
            return (provider, file) -> {
                takes.computeIfAbsent(file.getFileName().toString(), n -> new AtomicInteger())
                        .incrementAndGet();
                return imports.importFile(provider, file);
            };
        }
    }

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Staging staging;

    @Autowired
    SftpIntake intake;

    long quarantined(String name) {
        return jdbc.sql("select count(*) from outbox_event where type = 'registry.quarantined'"
                        + " and payload ->> 'name' = ?")
                .param(name)
                .query(Long.class)
                .single();
    }

    int takes(String name) {
        AtomicInteger n = Counting.takes.get(name);
        return n == null ? 0 : n.get();
    }

    @Autowired
    java.util.List<ScheduledWork> schedules;

    @Test
    void aBadFileLeftOnTheServerIsQuarantinedOnceUntilItChanges() throws Exception {
        // "nobody" has no parser: every file of it is quarantined; an empty file would be too
        Path bad = outbox.resolve("nobody_20261124.csv");
        Files.writeString(bad, "", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(bad, FileTime.from(Instant.now().minusSeconds(60)));

        intake.fetchAndImport("nobody");
        assertThat(quarantined("nobody_20261124.csv")).isOne();
        for (int i = 0; i < 20; i++) {
            intake.fetchAndImport("nobody");
        }

        assertThat(takes("nobody_20261124.csv")).isOne();
        assertThat(quarantined("nobody_20261124.csv")).isOne();
        assertThat(bad).as("never deleted from the server").exists();

        Files.writeString(bad, "a corrected delivery, still not a registry\n", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(bad, FileTime.from(Instant.now().minusSeconds(30)));
        for (int i = 0; i < 5; i++) {
            intake.fetchAndImport("nobody");
        }

        assertThat(takes("nobody_20261124.csv")).isEqualTo(2);
        assertThat(quarantined("nobody_20261124.csv")).isEqualTo(2);
        assertThat(staging.root().resolve("quarantine/nobody/nobody_20261124.csv.reason.txt"))
                .content()
                .contains("no registry parser");
    }

    @Test
    void nothingIsFetchedUntilAskedAndTheProvidersScheduleFetchesAndImports() throws Exception {
        Path file = outbox.resolve("nobody_20261125.csv");
        Files.writeString(file, "not a registry either\n", StandardCharsets.UTF_8);
        Thread.sleep(1_000);
        assertThat(takes("nobody_20261125.csv"))
                .as("no adapter polls the server")
                .isZero();

        ScheduledWork work = schedules.stream()
                .filter(w -> w.name().equals("registryIntakeNobody"))
                .findFirst()
                .orElseThrow();
        assertThat(work.defaultCron()).as("poll-every as its default").isEqualTo("0/30 * * * * ?");
        assertThat(work.misfire()).isEqualTo(ScheduledWork.Misfire.RUN_ONCE_NOW);
        work.work().run();

        assertThat(takes("nobody_20261125.csv")).isOne();
        assertThat(quarantined("nobody_20261125.csv")).isOne();
    }

    @Test
    void aPollPeriodBecomesACronExpressionAtRoundTimes() {
        assertThat(IngestSchedules.cronOf("p", Duration.ofMinutes(10))).isEqualTo("0 0/10 * * * ?");
        assertThat(IngestSchedules.cronOf("p", Duration.ofSeconds(5))).isEqualTo("0/5 * * * * ?");
        assertThat(IngestSchedules.cronOf("p", Duration.ofHours(6))).isEqualTo("0 0 0/6 * * ?");
        assertThat(IngestSchedules.cronOf("p", Duration.ofDays(1))).isEqualTo("0 0 0 * * ?");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IngestSchedules.cronOf("p", Duration.ofMinutes(7)))
                .hasMessageContaining("kopek.ingest.sources.p.poll-every");
        assertThat(IngestSchedules.scheduleName("acme-processing")).isEqualTo("registryIntakeAcmeProcessing");
    }

    @Test
    void aLinkInTheStagingDirectoryToAFileElsewhereIsNeverRead() throws IOException {
        Path secret = Files.writeString(Files.createTempDirectory("elsewhere").resolve("secret.csv"), "secret");
        Path link = Files.createSymbolicLink(staging.incoming("nobody").resolve("nobody_20261101.csv"), secret);

        assertThat(intake.take("nobody", link, (provider, file) -> {
                    throw new AssertionError("read " + file);
                }))
                .isEmpty();

        assertThat(takes("nobody_20261101.csv")).isZero();
        assertThat(link).doesNotExist();
        assertThat(secret).hasContent("secret");
    }
}

package io.kopek.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.kopek.testing.ScratchDatabase;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The migration step as the compose file and the Kubernetes Job run it: the packaged application with
 * {@code KOPEK_ROLES=migrate} migrates a new database and exits 0 by itself. Its port is held by the test, so a web
 * server that started would fail the process.
 */
class MigrateRoleIT {

    private static final Path JAR = Path.of("target/kopek-exec.jar").toAbsolutePath();

    @Test
    void theMigrateRoleMigratesAndExitsZeroWithoutTakingItsPort() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create("kopek_migrate_it");
                ServerSocket port = new ServerSocket(0)) {
            Path log = Files.createTempFile("kopek-migrate-", ".log");
            ProcessBuilder builder = new ProcessBuilder(List.of(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-XX:TieredStopAtLevel=1",
                            "-jar",
                            JAR.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("KOPEK_ROLES", "migrate");
            builder.environment().put("KOPEK_DB_URL", db.url());
            builder.environment().put("KOPEK_PORT", Integer.toString(port.getLocalPort()));
            // as production's shared configuration says for every process: the role migrates all the same
            builder.environment().put("SPRING_FLYWAY_ENABLED", "false");
            Process process = builder.start();
            try {
                assertThat(process.waitFor(180, TimeUnit.SECONDS))
                        .as("exits by itself:\n" + Files.readString(log))
                        .isTrue();
                assertThat(process.exitValue()).as(Files.readString(log)).isZero();
                try (Connection c = DriverManager.getConnection(db.url());
                        ResultSet rs = c.createStatement()
                                .executeQuery("select count(*), bool_and(success) from kopek.flyway_schema_history")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isGreaterThan(40);
                    assertThat(rs.getBoolean(2)).isTrue();
                }
            } finally {
                process.destroyForcibly();
                Files.deleteIfExists(log);
            }
        }
    }
}

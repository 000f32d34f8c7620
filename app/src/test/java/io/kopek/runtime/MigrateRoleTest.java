package io.kopek.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kopek.KopekApplication;
import io.kopek.batch.BatchWorker;
import io.kopek.testing.ScratchDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.quartz.Scheduler;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The deployment's migration step ({@code kopek.roles=migrate}) and the processes that then start with their own
 * migration off ({@code spring.flyway.enabled=false}, production's setting): each against a database of its own.
 */
@ExtendWith(OutputCaptureExtension.class)
class MigrateRoleTest {

    @Test
    void theMigrateRoleAppliesEveryMigrationAndListensOnNoPortAndStartsNoWorkerOrScheduler() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create("kopek_migrate")) {
            // Flyway is off in the shared configuration (as production sets it): the role turns it on for itself.
            try (ConfigurableApplicationContext context =
                    start(db, "--kopek.roles=migrate", "--spring.flyway.enabled=false", "--server.port=8080")) {
                assertThat(((WebServerApplicationContext) context)
                                .getWebServer()
                                .getPort())
                        .as("no port listened on")
                        .isLessThanOrEqualTo(0);
                assertThat(context.getBeansOfType(BatchWorker.class)).isEmpty();
                assertThat(context.getBean(Scheduler.class).isStarted()).isFalse();
                assertThat(MigrateRole.only(context.getEnvironment())).isTrue();
            }
            assertThat(pending(db)).as("migrations left to apply").isZero();
            assertThat(count(db, "select count(*) from kopek.flyway_schema_history where success"))
                    .isGreaterThan(40);
            assertThat(count(db, "select count(*) from kopek.batch_execution_owner"))
                    .as("no job ran")
                    .isZero();
        }
    }

    @Test
    void withStartUpMigrationOffAProcessServesTheSchemaTheMigrateRoleMade() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create("kopek_migrated")) {
            start(db, "--kopek.roles=migrate").close();
            int applied = count(db, "select count(*) from kopek.flyway_schema_history");

            try (ConfigurableApplicationContext context = start(
                    db, "--kopek.roles=api,batch,scheduler", "--spring.flyway.enabled=false", "--server.port=0")) {
                assertThat(context.getBeansOfType(Flyway.class)).isEmpty();
                int port =
                        ((WebServerApplicationContext) context).getWebServer().getPort();
                assertThat(get(port, "/actuator/health/readiness")).isEqualTo(200);
                assertThat(get(port, "/api/v1/reports"))
                        .as("the API answers (401: no key)")
                        .isEqualTo(401);
                assertThat(context.getBean(Scheduler.class).isStarted()).isTrue();
            }
            assertThat(count(db, "select count(*) from kopek.flyway_schema_history"))
                    .as("nothing migrated by the serving process")
                    .isEqualTo(applied);
        }
    }

    @Test
    void withStartUpMigrationOffAProcessRefusesADatabaseThatLacksMigrationsInOneLine(CapturedOutput output) {
        try (ScratchDatabase db = ScratchDatabase.create("kopek_unmigrated")) {
            assertThatThrownBy(
                            () -> start(db, "--kopek.roles=batch", "--spring.flyway.enabled=false", "--server.port=0")
                                    .close())
                    .isNotNull();

            assertThat(output.getAll().lines().filter(l -> l.startsWith("Kopek cannot start:")))
                    .singleElement()
                    .asString()
                    .contains("the database lacks")
                    .contains("run the migrate role first");
        }
    }

    @Test
    void aProcessWithMigrationOffWaitsForTheMigrateStepThatRunsBesideIt() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create("kopek_await")) {
            CompletableFuture<ConfigurableApplicationContext> serving = CompletableFuture.supplyAsync(() -> start(
                    db,
                    "--kopek.roles=api",
                    "--spring.flyway.enabled=false",
                    "--kopek.migrations.await=2m",
                    "--server.port=0"));
            Thread.sleep(3000);
            assertThat(serving).as("waiting for the schema").isNotDone();

            start(db, "--kopek.roles=migrate").close();

            try (ConfigurableApplicationContext context = serving.get(2, TimeUnit.MINUTES)) {
                int port =
                        ((WebServerApplicationContext) context).getWebServer().getPort();
                assertThat(get(port, "/actuator/health/readiness")).isEqualTo(200);
            }
        }
    }

    /** On this database: an argument, since the test JVM's own database is a system property, which outranks defaults. */
    private static ConfigurableApplicationContext start(ScratchDatabase db, String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = "--spring.datasource.url=" + db.url();
        return new SpringApplicationBuilder(KopekApplication.class)
                .properties("spring.main.banner-mode=off")
                .run(all);
    }

    private static int pending(ScratchDatabase db) {
        return Flyway.configure()
                .dataSource(db.url(), null, null)
                .schemas("kopek")
                .defaultSchema("kopek")
                .outOfOrder(true)
                .load()
                .info()
                .pending()
                .length;
    }

    private static int count(ScratchDatabase db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url());
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int get(int port, String path) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        }
    }
}

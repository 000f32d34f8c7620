package io.kopek.testing;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Kopek's schema on a {@link ScratchDatabase}, as a migration test needs it: migrated up to the version before the
 * migration under test, filled as that version's code left it, then migrated on.
 */
public final class Migrations {

    private Migrations() {}

    /** The database with Kopek's schema first on the search path, as the application's pool has it. */
    public static DataSource kopekSchema(ScratchDatabase database) {
        String url = database.url();
        return new DriverManagerDataSource(url + (url.contains("?") ? "&" : "?") + "currentSchema=kopek");
    }

    /**
     * Every migration on the class path up to {@code version} (all of them when null), as the application's Flyway
     * runs them: out of order allowed, since each module numbers its own.
     */
    public static void migrate(DataSource dataSource, String version) {
        var configuration = Flyway.configure()
                .dataSource(dataSource)
                .schemas("kopek")
                .defaultSchema("kopek")
                .createSchemas(true)
                .outOfOrder(true)
                .locations("classpath:db/migration");
        if (version != null) {
            configuration.target(version);
        }
        configuration.load().migrate();
    }
}

package io.kopek.demo;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.ValidateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The demo's database follows the code: when a migration it applied has since changed or gone (Kopek is not
 * released, so its migrations may still be rewritten), the demo's schema is dropped and made anew, and the demo
 * data with it. Migrations merely added since are applied as usual. Production never does this: a changed migration
 * stops the application there.
 */
@Component
@Profile("demo")
class DemoDatabase implements FlywayMigrationStrategy {

    private static final Logger log = LoggerFactory.getLogger(DemoDatabase.class);

    @Override
    public void migrate(Flyway flyway) {
        ValidateResult applied = Flyway.configure()
                .configuration(flyway.getConfiguration())
                .ignoreMigrationPatterns("*:pending")
                .load()
                .validateWithResult();
        if (!applied.validationSuccessful) {
            log.warn(
                    "demo: the database was made by migrations that have changed since ({}); making it anew",
                    applied.getAllErrorMessages());
            Flyway.configure()
                    .configuration(flyway.getConfiguration())
                    .cleanDisabled(false)
                    .load()
                    .clean();
        }
        flyway.migrate();
    }
}

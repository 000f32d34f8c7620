package io.kopek;

import io.kopek.runtime.MigrateRole;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

/** Kopek: one application whose modules live in sibling Maven modules under {@code io.kopek}. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class KopekApplication {

    static final String CARRIERS = "jdk.virtualThreadScheduler.parallelism";

    /**
     * At least this many carrier threads under the virtual threads (Tomcat's handlers, the batch and notification
     * loops), however few cores. A virtual thread that loads or initialises a class stays pinned to its carrier while
     * it waits for a lock another virtual thread holds; with one carrier per core, two such waits on a 2-core machine
     * pinned both carriers while the lock's holder waited for one, and the application hung while starting (seen
     * twice in demo starts, with every thread parked on Spring Boot's nested-jar lock). Spare carriers cost nothing
     * while idle.
     */
    static final int MIN_CARRIERS = 16;

    public static void main(String[] args) {
        // Before any virtual thread exists: the scheduler reads the property once, when it is created.
        if (System.getProperty(CARRIERS) == null) {
            System.setProperty(
                    CARRIERS,
                    String.valueOf(Math.max(MIN_CARRIERS, Runtime.getRuntime().availableProcessors())));
        }
        ConfigurableApplicationContext context = SpringApplication.run(KopekApplication.class, args);
        if (MigrateRole.only(context.getEnvironment())) {
            // Flyway applied the migrations while the context started; nothing else runs in this role.
            System.exit(SpringApplication.exit(context));
        }
    }
}

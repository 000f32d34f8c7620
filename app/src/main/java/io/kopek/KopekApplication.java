package io.kopek;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Kopek: one application whose modules live in sibling Maven modules under {@code io.kopek}. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class KopekApplication {

    public static void main(String[] args) {
        SpringApplication.run(KopekApplication.class, args);
    }
}

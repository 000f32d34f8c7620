package io.kopek.runtime;

import io.kopek.deployment.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Kopek's own settings (documented in {@code application.yml}).
 *
 * @param roles what this process runs: {@code api}, {@code batch}, {@code scheduler}; or {@code migrate} alone
 * @param businessZone the time zone that business dates (invoice dates, registry days) are counted in
 * @param logs how logs are written
 * @param migrations how a process that does not migrate (start-up migration off) meets the schema
 */
@ConfigurationProperties("kopek")
@Validated
public record KopekProperties(
        @NotEmpty Set<Role> roles,
        @NotNull ZoneId businessZone,
        @Valid @DefaultValue Logs logs,
        @Valid @DefaultValue Migrations migrations) {

    /** @param json ECS JSON lines on the console instead of readable text */
    public record Logs(@DefaultValue("false") boolean json) {}

    /**
     * @param await with {@code spring.flyway.enabled=false}, how long start-up waits for the migrate step to apply what
     *     this version needs before it fails; 0: not at all
     */
    public record Migrations(@NotNull @DefaultValue("0s") Duration await) {}
}

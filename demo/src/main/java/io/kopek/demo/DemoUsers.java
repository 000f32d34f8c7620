package io.kopek.demo;

import io.kopek.api.ApiRole;
import io.kopek.api.StaffUsers;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * One console user per staff role (logins {@code operator}, {@code accountant}, {@code finance}, {@code admin}),
 * created or reset at each start with passwords made up then and printed in the log: nothing to remember between
 * demos, and no password of the demo's in the repository or its data folder.
 */
@Component
@Profile("demo")
class DemoUsers {

    private static final Logger log = LoggerFactory.getLogger(DemoUsers.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<ApiRole> ROLES =
            List.of(ApiRole.OPERATOR, ApiRole.ACCOUNTANT, ApiRole.FINANCE, ApiRole.ADMIN);

    private final StaffUsers users;
    private final Environment environment;

    DemoUsers(StaffUsers users, Environment environment) {
        this.users = users;
        this.environment = environment;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Order(0)
    public void createOrReset() {
        String base = "http://localhost:" + environment.getProperty("local.server.port", "8080");
        StringBuilder banner = new StringBuilder(
                "demo: sign in to the console at " + base + "/console/ as (passwords new at each start):");
        String adminPassword = null;
        for (ApiRole role : ROLES) {
            String password = password();
            users.createOrReset(role.code(), "Demo " + role.code(), role, password);
            banner.append(String.format("%n  %-10s %s", role.code(), password));
            if (role == ApiRole.ADMIN) {
                adminPassword = password;
            }
        }
        banner.append(
                        "\n  or by curl: curl -c cookies.txt -H 'Content-Type: application/json' -d '{\"login\":\"admin\","
                                + "\"password\":\"")
                .append(adminPassword)
                .append("\"}' ")
                .append(base)
                .append("/api/v1/session")
                .append("\n              curl -b cookies.txt ")
                .append(base)
                .append("/api/v1/users");
        log.info("{}", banner);
    }

    /** 120 random bits in 20 URL-safe characters: meets the password policy, easy to copy. */
    private static String password() {
        byte[] bytes = new byte[15];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

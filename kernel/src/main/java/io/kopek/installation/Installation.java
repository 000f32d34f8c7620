package io.kopek.installation;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * This installation's random id (eight lowercase letters and digits), made once with its database
 * ({@code kernel/V1.2__installation.sql}). Keys that leave Kopek for an account other installations may share carry it.
 */
@Component
public class Installation {

    private final JdbcClient jdbc;
    private volatile String id;

    Installation(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public String id() {
        String known = id;
        if (known == null) {
            known = jdbc.sql("select id from installation").query(String.class).single();
            id = known;
        }
        return known;
    }
}

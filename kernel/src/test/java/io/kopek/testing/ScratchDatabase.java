package io.kopek.testing;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A database made for one test run or one benchmark and dropped at its end. It is created on the server that
 * {@code KOPEK_DB_URL} points at (the {@code kopek} script sets it; a plain {@code mvnw verify} uses the local
 * PostgreSQL on 127.0.0.1:5432) and only ever drops the database it created itself.
 */
public final class ScratchDatabase implements AutoCloseable {

    static final String DEFAULT_SERVER_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    private static final Pattern JDBC_URL = Pattern.compile("^(jdbc:postgresql://[^/?]*)(/[^?]*)?(\\?.*)?$");

    private final String serverUrl;
    private final String name;
    private boolean dropped;

    private ScratchDatabase(String serverUrl, String name) {
        this.serverUrl = serverUrl;
        this.name = name;
    }

    /** Creates {@code <prefix>_<random>} on the configured server. */
    public static ScratchDatabase create(String prefix) {
        String server = serverUrl();
        String name = prefix + "_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(5));
        execute(server, "create database " + name);
        return new ScratchDatabase(server, name);
    }

    static String serverUrl() {
        String fromProperty = System.getProperty("kopek.db.url");
        if (fromProperty != null && !fromProperty.isBlank()) {
            return fromProperty;
        }
        String fromEnv = System.getenv("KOPEK_DB_URL");
        return fromEnv == null || fromEnv.isBlank() ? DEFAULT_SERVER_URL : fromEnv;
    }

    public String name() {
        return name;
    }

    /** The JDBC URL of this database: the server's URL with the database name replaced. */
    public String url() {
        return withDatabase(serverUrl, name);
    }

    static String withDatabase(String jdbcUrl, String database) {
        Matcher m = JDBC_URL.matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl);
        }
        return m.group(1) + "/" + database + (m.group(3) == null ? "" : m.group(3));
    }

    @Override
    public synchronized void close() {
        if (!dropped) {
            // FORCE ends the connections that pools of cached test contexts still hold.
            execute(serverUrl, "drop database if exists " + name + " with (force)");
            dropped = true;
        }
    }

    private static void execute(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on " + url + ": " + e.getMessage(), e);
        }
    }
}

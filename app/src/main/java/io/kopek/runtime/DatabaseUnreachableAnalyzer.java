package io.kopek.runtime;

import java.sql.SQLException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/** Explains a database that cannot be reached or logged into, naming the URL that was tried. */
class DatabaseUnreachableAnalyzer extends AbstractFailureAnalyzer<SQLException> {

    private final Environment environment;

    DatabaseUnreachableAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
        String state = cause.getSQLState() == null ? "" : cause.getSQLState();
        // 08: connection exceptions; 28: authorisation; 3D000: no such database.
        if (!(state.startsWith("08") || state.startsWith("28") || state.equals("3D000"))) {
            return null;
        }
        String url = environment.getProperty("spring.datasource.url", "(spring.datasource.url is not set)");
        return new FailureAnalysis(
                "cannot connect to the database " + withoutPassword(url) + ": " + cause.getMessage(),
                "point KOPEK_DB_URL at a reachable PostgreSQL (or run ./kopek demo, which provides one).",
                cause);
    }

    static String withoutPassword(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}

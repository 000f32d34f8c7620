package io.kopek.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Gives every test JVM its own scratch database and points Spring's data source at it, so tests never share
 * state with each other's runs or with the demo database. Registered through {@code META-INF/services}.
 */
public class TestDatabaseSession implements LauncherSessionListener {

    private ScratchDatabase database;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (System.getProperty("spring.datasource.url") != null) {
            return;
        }
        database = ScratchDatabase.create("kopek_test");
        System.setProperty("spring.datasource.url", database.url());
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (database != null) {
            database.close();
            System.clearProperty("spring.datasource.url");
            database = null;
        }
    }
}

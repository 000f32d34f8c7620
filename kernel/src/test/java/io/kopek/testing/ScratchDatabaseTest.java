package io.kopek.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.DriverManager;
import org.junit.jupiter.api.Test;

class ScratchDatabaseTest {

    @Test
    void replacesOnlyTheDatabaseNameInTheUrl() {
        assertThat(ScratchDatabase.withDatabase("jdbc:postgresql://h:5432/postgres?user=u&password=p", "x"))
                .isEqualTo("jdbc:postgresql://h:5432/x?user=u&password=p");
        assertThat(ScratchDatabase.withDatabase("jdbc:postgresql://h:1/", "x")).isEqualTo("jdbc:postgresql://h:1/x");
        assertThat(ScratchDatabase.withDatabase("jdbc:postgresql://h", "x")).isEqualTo("jdbc:postgresql://h/x");
    }

    @Test
    void dropsTheDatabaseItCreatedAndOnlyThat() throws Exception {
        ScratchDatabase scratch = ScratchDatabase.create("kopek_scratch_test");
        try (var c = DriverManager.getConnection(scratch.url())) {
            assertThat(c.getCatalog()).isEqualTo(scratch.name());
        }
        scratch.close();
        try (var c = DriverManager.getConnection(ScratchDatabase.serverUrl());
                var rs = c.createStatement()
                        .executeQuery("select count(*) from pg_database where datname = '" + scratch.name() + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }
}

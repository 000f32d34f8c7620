package io.kopek.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;

/**
 * A PostgreSQL advisory lock per provider, held on a connection of its own for as long as the work takes (a fetch,
 * an import run of several minutes): every process of the cluster waits for it. Re-entrant on the thread that holds
 * it, which a second session of the same database would not be.
 */
@Component
class ProviderLocks {

    private static final ThreadLocal<Set<String>> HELD = ThreadLocal.withInitial(HashSet::new);

    private final DataSource dataSource;

    ProviderLocks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    <T> T holding(int lockClass, String provider, Supplier<T> work) {
        String key = lockClass + ":" + provider;
        if (HELD.get().contains(key)) {
            return work.get();
        }
        try (Connection session = dataSource.getConnection()) {
            advisory(session, "select pg_advisory_lock(?, hashtext(?))", lockClass, provider);
            HELD.get().add(key);
            try {
                return work.get();
            } finally {
                HELD.get().remove(key);
                advisory(session, "select pg_advisory_unlock(?, hashtext(?))", lockClass, provider);
            }
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("the intake lock of " + provider, e);
        }
    }

    private static void advisory(Connection session, String sql, int lockClass, String provider) throws SQLException {
        try (PreparedStatement s = session.prepareStatement(sql)) {
            s.setInt(1, lockClass);
            s.setString(2, provider);
            s.execute();
        }
    }
}

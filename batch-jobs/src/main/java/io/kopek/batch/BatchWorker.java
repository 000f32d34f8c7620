package io.kopek.batch;

import io.kopek.deployment.ConditionalOnRole;
import io.kopek.deployment.Role;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.stereotype.Component;

/**
 * This process as a batch worker: an id from {@code batch_worker_seq} and, for as long as the process lives, the
 * PostgreSQL advisory lock {@code (7040, id)} held on a database session of its own. PostgreSQL drops the lock the
 * moment that session ends, so whoever sees the lock free knows the worker is dead, without timeouts or
 * heartbeats: after a {@code kill -9} the runs it owned are recovered at once. The session is one connection of
 * the pool, kept for the life of the process. Its name ({@code kopek.batch.worker-name}, else the host name: in
 * Kubernetes the pod's) is logged with its id and recorded with each run it owns, so operators find the process.
 */
@Component
@ConditionalOnRole(Role.BATCH)
@DependsOnDatabaseInitialization // its sequence comes with the migrations
public class BatchWorker implements DisposableBean {

    /** The advisory lock's first key: "batch worker". */
    public static final int LOCK_CLASS = 7040;

    private static final Logger log = LoggerFactory.getLogger(BatchWorker.class);

    private final DataSource dataSource;
    private final int id;
    private final String host;
    private final long pid = ProcessHandle.current().pid();
    private Connection session;

    BatchWorker(DataSource dataSource, BatchProperties properties) throws SQLException {
        this.dataSource = dataSource;
        this.host = properties.workerName() == null || properties.workerName().isBlank()
                ? hostName()
                : properties.workerName().strip();
        try (Connection c = dataSource.getConnection();
                ResultSet rs = c.createStatement().executeQuery("select nextval('batch_worker_seq')::int")) {
            rs.next();
            this.id = rs.getInt(1);
        }
        lock();
        log.info("batch worker {} ({} pid {})", id, host, pid);
    }

    public int id() {
        return id;
    }

    /** The worker's name: {@code kopek.batch.worker-name}, else the host name. */
    String host() {
        return host;
    }

    long pid() {
        return pid;
    }

    /**
     * Makes sure the lock is still held, taking it again on a new session if the old one broke (a database
     * restart); called before this worker judges others, so it never takes itself for dead.
     */
    synchronized void ensureAlive() {
        try {
            if (session != null && session.isValid(2)) {
                return;
            }
        } catch (SQLException e) {
            // taken again below
        }
        log.warn("batch worker {} lost its database session; taking its lock again", id);
        closeQuietly();
        try {
            lock();
        } catch (SQLException e) {
            throw new IllegalStateException("batch worker " + id + " cannot take its lock again", e);
        }
    }

    private synchronized void lock() throws SQLException {
        Connection c = dataSource.getConnection();
        c.setAutoCommit(true);
        try (PreparedStatement s = c.prepareStatement("select pg_advisory_lock(?, ?)")) {
            s.setInt(1, LOCK_CLASS);
            s.setInt(2, id);
            s.execute();
        }
        session = c;
    }

    @Override
    public synchronized void destroy() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (session == null) {
            return;
        }
        try (PreparedStatement s = session.prepareStatement("select pg_advisory_unlock(?, ?)")) {
            s.setInt(1, LOCK_CLASS);
            s.setInt(2, id);
            s.execute();
        } catch (SQLException e) {
            // the session is gone, and the lock with it
        }
        try {
            session.close();
        } catch (SQLException e) {
            // nothing more to release
        }
        session = null;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}

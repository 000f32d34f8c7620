package io.kopek.scheduler.quartz;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.quartz.SchedulerConfigException;
import org.quartz.spi.ClassLoadHelper;
import org.quartz.spi.SchedulerSignaler;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.scheduling.quartz.LocalDataSourceJobStore;
import org.springframework.scheduling.quartz.SchedulerFactoryBean;

/**
 * Spring's job store on the application's data source (a change made by a caller joins the caller's transaction;
 * Quartz's own work commits on its own), with its connections registered under a name of its own. Spring registers
 * them in Quartz's JVM-wide {@link DBConnectionManager} under the scheduler's name, which every process of a cluster
 * shares: two application contexts of one cluster in one JVM (the cluster's tests) would then run on the data source
 * of whichever started last, and on a closed pool once that one stopped.
 */
public class ClusterJobStore extends LocalDataSourceJobStore {

    @Override
    public void initialize(ClassLoadHelper loadHelper, SchedulerSignaler signaler) throws SchedulerConfigException {
        DataSource dataSource = SchedulerFactoryBean.getConfigTimeDataSource();
        DataSource nonTransactional = SchedulerFactoryBean.getConfigTimeNonTransactionalDataSource();
        super.initialize(loadHelper, signaler);
        String id = UUID.randomUUID().toString();
        DataSource plain = nonTransactional != null ? nonTransactional : dataSource;
        DBConnectionManager.getInstance().addConnectionProvider("kopekTx." + id, new Provider() {
            @Override
            public Connection getConnection() throws SQLException {
                return DataSourceUtils.doGetConnection(dataSource);
            }
        });
        DBConnectionManager.getInstance().addConnectionProvider("kopekNonTx." + id, new Provider() {
            @Override
            public Connection getConnection() throws SQLException {
                return plain.getConnection();
            }
        });
        setDataSource("kopekTx." + id);
        setNonManagedTXDataSource("kopekNonTx." + id);
    }

    /** A Spring-managed pool has a lifecycle of its own: nothing to start or stop here. */
    private abstract static class Provider implements ConnectionProvider {

        @Override
        public void shutdown() {}

        @Override
        public void initialize() {}
    }
}

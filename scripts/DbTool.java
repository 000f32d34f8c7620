import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The kopek script's few database chores, run with the JDK's source launcher and the PostgreSQL driver:
 *   probe URL                  exit 0 when the server accepts a connection
 *   ensure-database URL NAME   create database NAME on that server unless it exists (never drops anything)
 *   free-port                  print a TCP port that is free on 127.0.0.1 now
 */
public class DbTool {

    public static void main(String[] args) throws Exception {
        switch (args.length == 0 ? "" : args[0]) {
            case "probe" -> System.exit(probe(args[1]) ? 0 : 1);
            case "ensure-database" -> ensureDatabase(args[1], args[2]);
            case "free-port" -> {
                try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                    System.out.println(socket.getLocalPort());
                }
            }
            default -> {
                System.err.println("usage: DbTool probe URL | ensure-database URL NAME | free-port");
                System.exit(2);
            }
        }
    }

    private static boolean probe(String url) {
        DriverManager.setLoginTimeout(3);
        try (Connection c = DriverManager.getConnection(url)) {
            return c.isValid(3);
        } catch (SQLException e) {
            System.err.println("  " + e.getMessage());
            return false;
        }
    }

    private static void ensureDatabase(String url, String name) throws SQLException {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        try (Connection c = DriverManager.getConnection(url);
                var exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, name);
            if (exists.executeQuery().next()) {
                return;
            }
            try (var create = c.createStatement()) {
                create.execute("create database " + name);
                System.err.println("created database " + name);
            }
        }
    }
}

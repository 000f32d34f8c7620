import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The kopek script's few database chores, run with the JDK's source launcher and the PostgreSQL driver:
 *   probe URL                  exit 0 when the server accepts a connection
 *   ensure-app-database URL NAME ROLE
 *                              the application's own login ROLE (no superuser, no CREATEDB, no CREATEROLE) with its
 *                              password from PGPASSFILE, owning database NAME and its schema; a NAME owned by anyone
 *                              else (made before roles) is dropped and made anew: only the demo's database is named
 *   set-password URL ROLE      ROLE's password from PGPASSFILE, sent hashed (SCRAM), never as SQL text
 *   free-port                  print a TCP port that is free on 127.0.0.1 now
 */
public class DbTool {

    public static void main(String[] args) throws Exception {
        switch (args.length == 0 ? "" : args[0]) {
            case "probe" -> System.exit(probe(args[1]) ? 0 : 1);
            case "ensure-app-database" -> ensureAppDatabase(args[1], args[2], args[3]);
            case "set-password" -> {
                try (Connection c = DriverManager.getConnection(args[1])) {
                    setPassword(c, args[2]);
                }
            }
            case "free-port" -> {
                try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                    System.out.println(socket.getLocalPort());
                }
            }
            default -> {
                System.err.println("usage: DbTool probe URL"
                        + " | ensure-app-database URL NAME ROLE | set-password URL ROLE | free-port");
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

    private static void ensureAppDatabase(String url, String name, String role) throws Exception {
        plain(name);
        plain(role);
        try (Connection c = DriverManager.getConnection(url)) {
            try (var exists = c.prepareStatement("select 1 from pg_roles where rolname = ?")) {
                exists.setString(1, role);
                if (!exists.executeQuery().next()) {
                    try (var create = c.createStatement()) {
                        create.execute("create role " + role
                                + " login nosuperuser nocreatedb nocreaterole noreplication nobypassrls");
                        System.err.println("created role " + role);
                    }
                }
            }
            setPassword(c, role);
            String owner = null;
            try (var query = c.prepareStatement(
                    "select pg_get_userbyid(datdba) from pg_database where datname = ?")) {
                query.setString(1, name);
                var found = query.executeQuery();
                owner = found.next() ? found.getString(1) : null;
            }
            try (var statement = c.createStatement()) {
                if (owner != null && !owner.equals(role)) {
                    statement.execute("drop database " + name + " with (force)");
                    System.err.println("database " + name + " was " + owner
                            + "'s, made before the application had a role of its own: making it anew");
                }
                if (!role.equals(owner)) {
                    statement.execute("create database " + name + " owner " + role);
                    System.err.println("created database " + name + " owned by " + role);
                }
            }
        }
        // The schema too, so the application's migrations create what they need without any superuser rights.
        String inDatabase = url.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
        try (Connection c = DriverManager.getConnection(inDatabase);
                var alter = c.createStatement()) {
            alter.execute("alter schema public owner to " + role);
        }
    }

    private static void setPassword(Connection c, String role) throws Exception {
        plain(role);
        String password = passwordOf(role);
        c.unwrap(org.postgresql.PGConnection.class).alterUserPassword(role, password.toCharArray(), "scram-sha-256");
    }

    /** The role's password from the PGPASSFILE the kopek script keeps (lines {@code *:*:*:role:password}). */
    private static String passwordOf(String role) throws java.io.IOException {
        String file = System.getenv("PGPASSFILE");
        if (file == null) {
            throw new IllegalStateException("PGPASSFILE is not set");
        }
        return java.nio.file.Files.readAllLines(java.nio.file.Path.of(file)).stream()
                .filter(line -> line.startsWith("*:*:*:" + role + ":"))
                .map(line -> line.substring(("*:*:*:" + role + ":").length()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no password for " + role + " in " + file));
    }

    private static void plain(String name) {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain name: " + name);
        }
    }
}

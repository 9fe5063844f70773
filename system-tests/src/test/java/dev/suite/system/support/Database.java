package dev.suite.system.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

import dev.suite.localstack.LocalStack;

/**
 * Read-only looks into the services' databases, to count rows and check invariants after a fault. Connects as the
 * schema owner roles (row-level security does not limit a table's owner), over TLS with verify-full like the services.
 */
public final class Database {

    private Database() {
    }

    public static long count(String database, String sql, Object... parameters) {
        return count(LocalStack.shared(), database, sql, parameters);
    }

    /** A count on a stack of a test's own (one that must not share the suite's database). */
    public static long count(LocalStack stack, String database, String sql, Object... parameters) {
        try (Connection connection = connect(stack, database); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Query on " + database + " failed: " + e.getMessage(), e);
        }
    }

    /** Runs a SQL file as the database's owner, as an operator runs it with psql (on a stack of a test's own). */
    public static void runScript(LocalStack stack, String database, Path script) {
        try (Connection connection = connect(stack, database); java.sql.Statement statement = connection.createStatement()) {
            statement.execute(Files.readString(script));
        } catch (SQLException | IOException e) {
            throw new IllegalStateException(script + " on " + database + " failed: " + e.getMessage(), e);
        }
    }

    public static Connection connect(String database) throws SQLException {
        return connect(LocalStack.shared(), database);
    }

    private static Connection connect(LocalStack local, String database) throws SQLException {
        Map<String, String> stack = local.properties();
        String owner = "auth".equals(database) ? "auth_owner" : "users_owner";
        String url = "jdbc:postgresql://localhost:" + stack.get("suite.pg.port") + "/" + database
                + "?sslmode=verify-full&sslrootcert=" + stack.get("suite.pg.ca-file");
        return DriverManager.getConnection(url, owner, stack.get("suite.pg." + owner.replace('_', '-') + ".password"));
    }
}

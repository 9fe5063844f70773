package dev.suite.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import dev.suite.fixtures.Privileges;

/**
 * The auth database as its owner role, over verified TLS like the migrations: for what a test must do or see that
 * auth_app may not (promote an admin, read the append-only audit trail). Row-level rules do not limit an owner.
 */
public final class OwnerDatabase {

    private OwnerDatabase() {
    }

    /** Runs one statement with its parameters; answers the rows it changed. */
    public static int update(String sql, Object... parameters) {
        try (Connection owner = Privileges.asMigrationRole(); PreparedStatement statement = prepare(owner, sql, parameters)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("As the owner: " + sql + " failed: " + e.getMessage(), e);
        }
    }

    /** The first column of the one row {@code sql} answers, as a number. */
    public static long count(String sql, Object... parameters) {
        try (Connection owner = Privileges.asMigrationRole(); PreparedStatement statement = prepare(owner, sql, parameters);
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("As the owner: " + sql + " failed: " + e.getMessage(), e);
        }
    }

    /** The first column of the first row {@code sql} answers, as text; null when there is no row. */
    public static String text(String sql, Object... parameters) {
        try (Connection owner = Privileges.asMigrationRole(); PreparedStatement statement = prepare(owner, sql, parameters);
                ResultSet rows = statement.executeQuery()) {
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("As the owner: " + sql + " failed: " + e.getMessage(), e);
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }
}

package dev.suite.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

import dev.suite.localstack.LocalStack;

/** What an operator does to the auth database by hand (as its schema owner): for tests that set up a state no API makes. */
final class AuthDatabaseOwner {

    private AuthDatabaseOwner() {
    }

    /** Runs one statement with {@code email} as its only parameter; asserts it changed at least one row. */
    static void updateForEmail(String sql, String email) {
        Map<String, String> stack = LocalStack.shared().properties();
        String url = "jdbc:postgresql://localhost:" + stack.get("suite.pg.port") + "/auth?sslmode=verify-full&sslrootcert="
                + stack.get("suite.pg.ca-file");
        try (Connection owner = DriverManager.getConnection(url, "auth_owner", stack.get("suite.pg.auth-owner.password"));
                PreparedStatement update = owner.prepareStatement(sql)) {
            update.setString(1, email);
            assertThat(update.executeUpdate()).as(sql).isPositive();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

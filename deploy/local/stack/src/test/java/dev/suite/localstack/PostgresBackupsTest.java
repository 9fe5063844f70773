package dev.suite.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local PostgreSQL's continuous archiving and point-in-time restore (issue 25), on a stack of its own: rows
 * committed before the target come back, a row committed after it does not, and the restored server takes writes.
 * The suite on a restored database: system-tests PointInTimeRestoreTest.
 */
class PostgresBackupsTest {

    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = LocalStack.startArchiving();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aRestoreToAPointInTimeKeepsWhatWasCommittedBeforeItAndNothingAfter() throws SQLException {
        PostgresBackups backups = stack.postgresBackups();
        execute("CREATE TABLE auth.restore_probe (n int PRIMARY KEY)", "INSERT INTO auth.restore_probe VALUES (1)");
        PostgresBackups.BaseBackup base = backups.baseBackup();
        execute("INSERT INTO auth.restore_probe VALUES (2)"); // after the base backup: only the archived WAL has it
        Instant target = backups.serverNow();
        execute("INSERT INTO auth.restore_probe VALUES (3)");
        backups.archiveNow();

        Path before = backups.restore(base, target);

        assertThat(probeRows()).containsExactly(1, 2);
        execute("INSERT INTO auth.restore_probe VALUES (4)"); // promoted: a primary again, on a new timeline
        assertThat(probeRows()).containsExactly(1, 2, 4);
        assertThat(before.resolve("PG_VERSION")).as("the cluster as it was, kept aside until the restore is checked").exists();
        assertThat(Files.exists(stack.postgres().dataDir().resolve("recovery.signal"))).as("recovery ended").isFalse();
    }

    @Test
    void theBackupRoleCanTakeBackupsAndNothingElse() throws SQLException {
        PostgresBackups.BaseBackup base = stack.postgresBackups().baseBackup();
        assertThat(base.label()).contains("START WAL LOCATION").contains("local base backup");

        for (String db : List.of("auth", "users")) {
            assertThatThrownBy(() -> connect(db, PostgresBackups.ROLE).close()).as(db).hasMessageContaining("pg_hba.conf rejects connection");
        }
        try (Connection c = connect("postgres", PostgresBackups.ROLE); Statement s = c.createStatement()) {
            for (String granted : List.of("pg_backup_start(text, boolean)", "pg_backup_stop(boolean)", "pg_switch_wal()")) {
                assertThat(mayExecute(s, granted)).as(granted).isTrue();
            }
            // What an operator's role could do to a running server, each restricted to superusers or granted roles.
            for (String refused : List.of("pg_promote(boolean, integer)", "pg_reload_conf()",
                    "pg_read_binary_file(text)", "pg_ls_dir(text)", "pg_create_restore_point(text)", "pg_rotate_logfile()")) {
                assertThat(mayExecute(s, refused)).as(refused).isFalse();
            }
            ResultSet memberships = s.executeQuery("SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member "
                    + "WHERE r.rolname = '" + PostgresBackups.ROLE + "'");
            memberships.next();
            assertThat(memberships.getInt(1)).as("member of no role (pg_monitor, pg_read_all_data, ...)").isZero();
        }
        assertThatThrownBy(() -> plainConnection().close()).as("without TLS").hasMessageContaining("no encryption");
    }

    private static boolean mayExecute(Statement s, String function) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT has_function_privilege('" + PostgresBackups.ROLE + "', '" + function + "', 'EXECUTE')")) {
            r.next();
            return r.getBoolean(1);
        }
    }

    private static void execute(String... statements) throws SQLException {
        try (Connection c = connect("auth", "auth_owner"); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static List<Integer> probeRows() throws SQLException {
        try (Connection c = connect("auth", "auth_owner"); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT n FROM auth.restore_probe ORDER BY n")) {
            List<Integer> found = new ArrayList<>();
            while (rows.next()) {
                found.add(rows.getInt(1));
            }
            return found;
        }
    }

    private static Connection connect(String db, String role) throws SQLException {
        return DriverManager.getConnection(url(db), credentials(role, "verify-full"));
    }

    private static Connection plainConnection() throws SQLException {
        return DriverManager.getConnection(url("postgres"), credentials(PostgresBackups.ROLE, "disable"));
    }

    private static String url(String db) {
        return "jdbc:postgresql://localhost:" + stack.postgres().port() + "/" + db;
    }

    private static Properties credentials(String role, String sslMode) {
        Properties props = new Properties();
        props.setProperty("user", role);
        props.setProperty("password", stack.secrets().secret(role.equals(PostgresBackups.ROLE) ? PostgresBackups.SECRET : "postgres." + role));
        props.setProperty("sslmode", sslMode);
        props.setProperty("sslrootcert", stack.secrets().tls().caCert().toString());
        props.setProperty("connectTimeout", "5");
        return props;
    }
}

package dev.suite.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A streaming standby of the local PostgreSQL and the planned switchover to it (issue 25), each test on a stack of its
 * own: every committed row is on the promoted standby, which serves at the old primary's port; the replication role
 * streams WAL and can do nothing else; a standby that has not received everything is never promoted. The switchover
 * under the suite's traffic: system-tests PostgresSwitchoverTest.
 */
class PostgresStandbyTest {

    private LocalStack stack;

    @BeforeEach
    void start() {
        stack = LocalStack.startNew();
    }

    @AfterEach
    void stop() {
        stack.close();
    }

    @Test
    void aSwitchoverPromotesTheStandbyWithEveryCommittedRowAtThePrimarysAddress() throws Exception {
        int port = stack.postgres().port();
        execute(port, "CREATE TABLE auth.switchover_probe (n int PRIMARY KEY)", "INSERT INTO auth.switchover_probe VALUES (1)");
        PostgresStandby standby = stack.startPostgresStandby();
        execute(port, "INSERT INTO auth.switchover_probe VALUES (2)"); // streamed after the base backup
        standby.awaitCaughtUp();
        assertThat(probeRows(standby.server().port())).as("read on the standby").containsExactly(1, 2);
        assertThatThrownBy(() -> execute(standby.server().port(), "INSERT INTO auth.switchover_probe VALUES (9)"))
                .as("a standby takes no writes").hasMessageContaining("read-only transaction");
        execute(port, "INSERT INTO auth.switchover_probe VALUES (3)"); // committed an instant before the switchover

        stack.switchPostgresOver(standby);

        assertThat(stack.postgres().port()).as("the address the services use").isEqualTo(port);
        assertThat(stack.postgres().dataDir()).isEqualTo(standby.server().dataDir());
        assertThat(probeRows(port)).containsExactly(1, 2, 3);
        execute(port, "INSERT INTO auth.switchover_probe VALUES (4)");
        assertThat(probeRows(port)).containsExactly(1, 2, 3, 4);
        assertThat(query(port, "SELECT pg_is_in_recovery()")).isEqualTo("f");
        assertThat(query(port, "SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)")).as("a new timeline").isEqualTo("00000002");
    }

    @Test
    void theReplicationRoleStreamsWalAndCanDoNothingElse() throws Exception {
        PostgresStandby standby = stack.startPostgresStandby();
        int port = stack.postgres().port();
        assertThat(Files.readString(standby.server().log())).as("streaming (over TLS: the only way in, below)").contains("started streaming WAL from primary");

        for (String db : List.of("auth", "users", "postgres")) {
            assertThatThrownBy(() -> connect(port, db, PostgresStandby.ROLE, "verify-full", new Properties()).close()).as(db)
                    .hasMessageContaining("pg_hba.conf rejects connection");
        }
        Properties replication = new Properties();
        replication.setProperty("replication", "true");
        replication.setProperty("preferQueryMode", "simple");
        replication.setProperty("assumeMinServerVersion", "17");
        assertThatThrownBy(() -> connect(port, "postgres", PostgresStandby.ROLE, "disable", replication).close()).as("without TLS")
                .hasMessageContaining("no pg_hba.conf entry");
        try (Connection c = connect(port, "postgres", PostgresStandby.ROLE, "verify-full", replication)) {
            assertThat(c.isValid(5)).as("the one thing it may do: a replication connection over TLS").isTrue();
        }
        assertThat(query(port, "SELECT rolreplication::text || rolsuper::text || rolcreaterole::text || rolcreatedb::text || "
                + "rolbypassrls::text FROM pg_roles WHERE rolname = '" + PostgresStandby.ROLE + "'")).isEqualTo("truefalsefalsefalsefalse");
        assertThat(query(port, "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = '"
                + PostgresStandby.ROLE + "'")).as("member of no role").isEqualTo("0");
    }

    @Test
    void aStandbyThatDidNotReceiveEverythingIsNeverPromoted() throws Exception {
        int port = stack.postgres().port();
        execute(port, "CREATE TABLE auth.switchover_probe (n int PRIMARY KEY)");
        PostgresStandby standby = stack.startPostgresStandby();
        // Its link to the primary cut: what an asynchronous standby that fell behind looks like.
        standby.server().stop();
        Files.writeString(standby.server().dataDir().resolve("postgresql.conf"), "\nprimary_conninfo = ''\n", StandardOpenOption.APPEND);
        standby.server().start();
        execute(port, "INSERT INTO auth.switchover_probe VALUES (1)"); // acknowledged: the standby never gets it

        assertThatThrownBy(() -> stack.switchPostgresOver(standby, Duration.ofSeconds(3)))
                .hasMessageContaining("Switchover refused").hasMessageContaining("the old primary is serving again");

        assertThat(stack.postgres().dataDir()).as("still the old primary").isNotEqualTo(standby.server().dataDir());
        assertThat(probeRows(port)).as("the old primary serves, with the write").containsExactly(1);
        assertThat(query(standby.server().port(), "SELECT pg_is_in_recovery()")).as("not promoted").isEqualTo("t");
    }

    private void execute(int port, String... statements) throws SQLException {
        try (Connection c = connect(port, "auth", "auth_owner", "verify-full", new Properties()); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private List<Integer> probeRows(int port) throws SQLException {
        try (Connection c = connect(port, "auth", "auth_owner", "verify-full", new Properties()); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT n FROM auth.switchover_probe ORDER BY n")) {
            List<Integer> found = new ArrayList<>();
            while (rows.next()) {
                found.add(rows.getInt(1));
            }
            return found;
        }
    }

    /** One value, read as the auth schema's owner (the backup role's functions are PUBLIC's too). */
    private String query(int port, String sql) throws SQLException {
        try (Connection c = connect(port, "auth", "auth_owner", "verify-full", new Properties()); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    private Connection connect(int port, String db, String role, String sslMode, Properties extra) throws SQLException {
        Properties props = new Properties();
        props.putAll(extra);
        props.setProperty("user", role);
        props.setProperty("password", stack.secrets().secret("postgres." + role));
        props.setProperty("sslmode", sslMode);
        props.setProperty("sslrootcert", stack.secrets().tls().caCert().toString());
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/" + db, props);
    }
}

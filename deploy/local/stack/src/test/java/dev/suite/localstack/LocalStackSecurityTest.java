package dev.suite.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stack enforces, at the servers themselves, the rules DESIGN.md invariant 7 and the pg_hba file promise. */
class LocalStackSecurityTest {

    static LocalStack stack;

    @BeforeAll
    static void startStack() throws SQLException {
        stack = LocalStack.shared();
        // A table owned by each service's owner role, as a migration would create and grant it.
        for (String db : new String[] { "auth", "users" }) {
            try (Connection owner = connect(db, db + "_owner", "verify-full");
                    Statement st = owner.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS probe (id int PRIMARY KEY, secret text)");
                st.execute("INSERT INTO probe VALUES (1, 'only for " + db + "') ON CONFLICT DO NOTHING");
                st.execute("GRANT SELECT, UPDATE ON probe TO " + db + "_app");
            }
        }
    }

    @Test
    void appRoleReadsAndWritesItsOwnTablesOverVerifiedTls() throws SQLException {
        try (Connection app = connect("auth", "auth_app", "verify-full"); Statement st = app.createStatement()) {
            st.execute("UPDATE probe SET secret = secret WHERE id = 1");
            ResultSet rs = st.executeQuery("SELECT secret, current_schema, ssl FROM probe, pg_stat_ssl WHERE pid = pg_backend_pid()");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("only for auth");
            assertThat(rs.getString(2)).isEqualTo("auth");
            assertThat(rs.getBoolean(3)).isTrue();
        }
    }

    @Test
    void plainTcpWithoutTlsIsRefusedByTheServer() {
        assertThatThrownBy(() -> connect("auth", "auth_app", "disable"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("no encryption");
    }

    @Test
    void clientThatTrustsAnotherCaRefusesTheServer(@TempDir Path tmp) throws Exception {
        Path otherCa = tmp.resolve("other-ca.crt");
        DevCertificates.writePem(otherCa, DevCertificates.newCa("Somebody else's CA").certificate());
        Properties props = credentials("auth_app", "verify-full");
        props.setProperty("sslrootcert", otherCa.toString());
        assertThatThrownBy(() -> DriverManager.getConnection(url("auth"), props).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("SSL");
    }

    @Test
    void eachAppRoleIsRefusedTheOtherServicesDatabase() {
        assertThatThrownBy(() -> connect("auth", "users_app", "verify-full"))
                .isInstanceOf(SQLException.class).hasMessageContaining("pg_hba.conf rejects connection");
        assertThatThrownBy(() -> connect("users", "auth_app", "verify-full"))
                .isInstanceOf(SQLException.class).hasMessageContaining("pg_hba.conf rejects connection");
    }

    @Test
    void appRolesCannotRunDdlAnywhere() throws SQLException {
        for (String db : new String[] { "auth", "users" }) {
            try (Connection app = connect(db, db + "_app", "verify-full"); Statement st = app.createStatement()) {
                assertThatThrownBy(() -> st.execute("CREATE TABLE " + db + ".sneaky (id int)"))
                        .hasMessageContaining("permission denied");
                assertThatThrownBy(() -> st.execute("CREATE TABLE public.sneaky (id int)"))
                        .hasMessageContaining("permission denied");
                assertThatThrownBy(() -> st.execute("DROP TABLE probe")).hasMessageContaining("must be owner");
                assertThatThrownBy(() -> st.execute("CREATE TEMP TABLE sneaky (id int)"))
                        .hasMessageContaining("permission denied");
            }
        }
    }

    @Test
    void noAppOrOwnerRoleIsPrivileged() throws SQLException {
        try (Connection app = connect("auth", "auth_app", "verify-full"); Statement st = app.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT rolname, rolsuper OR rolcreatedb OR rolcreaterole OR rolbypassrls "
                    + "OR rolreplication FROM pg_roles WHERE rolname IN ('auth_app', 'auth_owner', 'users_app', 'users_owner') OR (rolname NOT LIKE 'pg\\_%' AND rolname <> 'postgres') ORDER BY 1");
            List<String> roles = new ArrayList<>();
            while (rs.next()) {
                roles.add(rs.getString(1));
                // vault_admin: CREATEROLE (below); local_replication: REPLICATION and nothing else (PostgresStandbyTest).
                if (!List.of("vault_admin", "local_replication").contains(rs.getString(1))) {
                    assertThat(rs.getBoolean(2)).as("privileged flag on %s", rs.getString(1)).isFalse();
                }
            }
            // local_backup: the local stack's backup role (PostgresBackups), two backup functions granted and no flag;
            // local_replication: its standby's (PostgresStandby), which may open replication connections only.
            assertThat(roles).containsExactly("auth_app", "auth_owner", "local_backup", "local_replication", "users_app", "users_owner",
                    "vault_admin");
        }
    }

    @Test
    void vaultAdminMayOnlyCreateRoles() throws SQLException {
        // Vault's database engine creates and drops the short-lived members of auth_app and users_app: CREATEROLE,
        // and nothing else (deploy/db/vault-admin.sql).
        try (Connection app = connect("auth", "auth_app", "verify-full"); Statement st = app.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT rolcreaterole, rolsuper OR rolcreatedb OR rolbypassrls OR rolreplication "
                    + "FROM pg_roles WHERE rolname = 'vault_admin'");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(1)).isTrue();
            assertThat(rs.getBoolean(2)).isFalse();
        }
        // Its membership of auth_app has INHERIT FALSE: not even CONNECT to the data it manages users for.
        assertThatThrownBy(() -> connect("auth", "vault_admin", "verify-full").close()).isInstanceOf(SQLException.class)
                .hasMessageMatching("(?s).*(pg_hba.conf rejects connection|permission denied for database).*");
    }

    @Test
    void superuserHasNoNetworkLogin() {
        assertThatThrownBy(() -> DriverManager.getConnection(url("postgres"), credentials("postgres", "verify-full")).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("pg_hba.conf rejects connection");
    }

    @Test
    void redisRefusesClientsWithoutThePassword() throws Exception {
        assertThat(redis("PING")).startsWith("-NOAUTH");
        assertThat(redis("AUTH wrong-password")).startsWith("-WRONGPASS");
        assertThat(redis("AUTH " + stack.secrets().secret("redis") + "\r\nPING")).isEqualTo("+OK");
    }

    /**
     * Redis speaks TLS only (issue 17, item 7): a client in plaintext, which anyone on the path could read (its
     * password) or answer in Redis's place, gets no answer at all, even with the operator's right password.
     */
    @Test
    void redisHasNoPlaintextListener() throws Exception {
        try (Socket socket = new Socket(stack.redis().host().bindAddress(), stack.redis().port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("AUTH " + stack.secrets().secret("redis") + "\r\nPING\r\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            String answer;
            try {
                answer = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
            } catch (java.net.SocketException closed) {
                answer = null; // reset by the server: no answer either
            }
            assertThat(answer).as("what a plaintext client is told").isNull();
        }
        try (RespClient operator = RespClient.as(stack.redis(), "default", stack.secrets().secret("redis"))) {
            assertThat(operator.call("CONFIG", "GET", "port")).as("no plaintext port at all (Redis's default is 6379)")
                    .isEqualTo("[port, 0]");
        }
    }

    @Test
    void secretsLiveInTheIgnoredLocalFolderWithOwnerOnlyAccess() throws Exception {
        Path dir = stack.secrets().dir();
        assertThat(dir.getFileName().toString()).isEqualTo(".local");
        assertThat(Files.readString(SuiteRoot.find().resolve(".gitignore"))).contains("/.local/");
        assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    private static String redis(String commands) throws Exception {
        try (Socket socket = stack.redis().connect()) {
            OutputStream out = socket.getOutputStream();
            out.write((commands + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    static Connection connect(String db, String role, String sslMode) throws SQLException {
        return DriverManager.getConnection(url(db), credentials(role, sslMode));
    }

    private static String url(String db) {
        return "jdbc:postgresql://localhost:" + stack.postgres().port() + "/" + db;
    }

    private static Properties credentials(String role, String sslMode) {
        Properties props = new Properties();
        props.setProperty("user", role);
        props.setProperty("password", role.equals("postgres") ? "anything" : stack.secrets().secret("postgres." + role));
        props.setProperty("sslmode", sslMode);
        props.setProperty("sslrootcert", stack.secrets().tls().caCert().toString());
        props.setProperty("connectTimeout", "5");
        return props;
    }
}

package dev.suite.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The stack's OpenBao, configured by deploy/vault/setup.sh, enforces deploy/vault/policies itself: each role's token
 * reads its own KV path and database role and gets the server's 403 for anything else; dynamic database users are
 * real PostgreSQL roles that a revocation removes.
 */
class LocalVaultTest {

    static LocalStack stack;
    static LocalVault vault;

    @BeforeAll
    static void startVault() {
        stack = LocalStack.shared();
        vault = stack.vault();
    }

    @Test
    void aRealServerOnTlsWithItsKeysOwnerOnlyAndNotInItsLog() throws Exception {
        HttpResponse<String> health = vault.send("GET", "sys/health", null, null);
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode status = new ObjectMapper().readTree(health.body());
        assertThat(status.path("initialized").asBoolean()).isTrue();
        assertThat(status.path("sealed").asBoolean()).isFalse();
        assertThat(vault.address()).startsWith("https://");
        assertThat(vault.keysDir()).startsWith(stack.secrets().dir());
        for (String name : new String[] { "root-token", "unseal-key" }) {
            assertThat(Files.getPosixFilePermissions(vault.keysDir().resolve(name))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        // Not dev mode: the storage is integrated storage on disk, in the run's folder.
        assertThat(parse(vault.asOperator("GET", "sys/storage/raft/configuration", null)).path("data").path("config")
                .path("servers")).hasSize(1);
        // setup.sh kept what the stack seeded: the database engine logged in with vault_admin's password (and rotated it).
        assertThat(parse(vault.asOperator("GET", "secret/data/suite/redis", null)).path("data").path("data").path("password").asText())
                .isEqualTo(stack.secrets().secret("redis"));
    }

    @Test
    void eachServiceReadsItsOwnSecretAndDatabaseRoleAndNothingElse() {
        String auth = login("auth-service");
        String users = login("user-service");
        String gateway = login("gateway");
        assertThat(read(auth, "secret/data/suite/auth-service")).isEqualTo(200);
        assertThat(read(auth, "database/creds/auth-app")).isEqualTo(200);
        assertThat(read(users, "secret/data/suite/user-service")).isEqualTo(200);
        assertThat(read(gateway, "secret/data/suite/gateway")).isEqualTo(200);

        assertThat(read(auth, "secret/data/suite/user-service")).isEqualTo(403);
        assertThat(read(auth, "secret/data/suite/gateway")).isEqualTo(403);
        assertThat(read(auth, "database/creds/users-app")).isEqualTo(403);
        assertThat(read(users, "secret/data/suite/auth-service")).isEqualTo(403);
        assertThat(read(users, "database/creds/auth-app")).isEqualTo(403);
        assertThat(read(gateway, "secret/data/suite/auth-service")).isEqualTo(403);
        assertThat(read(gateway, "database/creds/auth-app")).isEqualTo(403);
        assertThat(read(gateway, "database/creds/users-app")).isEqualTo(403);
        for (String token : new String[] { auth, users, gateway }) {
            assertThat(read(token, "secret/data/suite/postgres")).as("the operator's passwords").isEqualTo(403);
            assertThat(read(token, "secret/data/suite/migrations/auth")).as("the owner roles").isEqualTo(403);
        }
    }

    @Test
    void theMigrationRolesReadOnlyTheirOwnerCredentials() {
        String authMigrations = login("auth-migrations");
        String usersMigrations = login("users-migrations");
        assertThat(read(authMigrations, "secret/data/suite/migrations/auth")).isEqualTo(200);
        assertThat(read(usersMigrations, "secret/data/suite/migrations/users")).isEqualTo(200);
        assertThat(read(authMigrations, "secret/data/suite/migrations/users")).isEqualTo(403);
        assertThat(read(usersMigrations, "secret/data/suite/migrations/auth")).isEqualTo(403);
        for (String token : new String[] { authMigrations, usersMigrations }) {
            assertThat(read(token, "secret/data/suite/auth-service")).isEqualTo(403);
            assertThat(read(token, "secret/data/suite/user-service")).isEqualTo(403);
            assertThat(read(token, "database/creds/auth-app")).isEqualTo(403);
            assertThat(read(token, "database/creds/users-app")).isEqualTo(403);
        }
    }

    @Test
    void nothingCanListTheSecrets() {
        for (String role : LocalVault.ROLES) {
            String token = login(role);
            assertThat(vault.send("LIST", "secret/metadata/", token, null).statusCode()).as(role).isEqualTo(403);
            assertThat(vault.send("LIST", "secret/metadata/suite", token, null).statusCode()).as(role).isEqualTo(403);
            assertThat(vault.send("LIST", "database/roles", token, null).statusCode()).as(role).isEqualTo(403);
        }
        assertThat(vault.send("GET", "secret/data/suite/auth-service", null, null).statusCode()).as("no token").isEqualTo(403);
    }

    @Test
    void aDynamicUserIsARealMemberOfTheAppRoleAndARevocationRemovesIt() throws Exception {
        HttpResponse<String> issued = vault.send("GET", "database/creds/auth-app", login("auth-service"), null);
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        JsonNode credentials = parse(issued.body());
        String user = credentials.path("data").path("username").asText();
        String password = credentials.path("data").path("password").asText();
        try (Connection connection = connect("auth", user, password); Statement st = connection.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT current_user, pg_has_role(current_user, 'auth_app', 'USAGE'), current_schema");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(user);
            assertThat(rs.getBoolean(2)).isTrue();
            assertThat(rs.getString(3)).isEqualTo("auth");
        }
        assertThatThrownBy(() -> connect("users", user, password).close()).as("the other service's database")
                .isInstanceOf(SQLException.class);

        vault.asOperator("PUT", "sys/leases/revoke", Map.of("lease_id", credentials.path("lease_id").asText()));
        // The role is dropped: no longer a member of auth_app, pg_hba has no line for it.
        assertThatThrownBy(() -> connect("auth", user, password).close()).isInstanceOf(SQLException.class)
                .hasMessageContaining("pg_hba.conf rejects connection").hasMessageContaining(user);
        try (Connection app = connect("auth", "auth_app", stack.secrets().secret("postgres.auth_app"));
                Statement st = app.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_roles WHERE rolname = '" + user + "'");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).as("roles named " + user).isZero();
        }
    }

    private static String login(String role) {
        LocalVault.AppRoleLogin credentials = vault.appRole(role);
        HttpResponse<String> login = vault.send("POST", "auth/approle/login", null,
                Map.of("role_id", credentials.roleId(), "secret_id", credentials.secretId()));
        assertThat(login.statusCode()).as("AppRole login of " + role).isEqualTo(200);
        JsonNode auth = parse(login.body()).path("auth");
        assertThat(auth.path("token_policies").toString()).contains("\"" + role + "\"");
        return auth.path("client_token").asText();
    }

    /** The status of a read; a server error fails the test with Vault's words (a refusal must be a 403, not a fault). */
    private static int read(String token, String path) {
        HttpResponse<String> response = vault.send("GET", path, token, null);
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isLessThan(500);
        return response.statusCode();
    }

    private static JsonNode parse(String body) {
        try {
            return new ObjectMapper().readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection connect(String db, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("sslmode", "verify-full");
        props.setProperty("sslrootcert", stack.secrets().tls().caCert().toString());
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + stack.postgres().port() + "/" + db, props);
    }
}

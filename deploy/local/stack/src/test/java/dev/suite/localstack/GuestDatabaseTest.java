package dev.suite.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A guest database (make bench-peers' Keycloak) is held to the suite's rules: the attacks a guest role or a suite role
 * could try across the line, each refused by the server itself; the guest's own work over verified TLS is the control.
 */
class GuestDatabaseTest {

    private static final String GUEST_PASSWORD = generated();
    private static LocalStack stack;

    @BeforeAll
    static void startStackWithAGuest() {
        stack = LocalStack.startNew(List.of(new GuestDatabase("peer", GUEST_PASSWORD)));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theGuestOwnsItsDatabaseOverVerifiedTls() throws SQLException {
        try (Connection guest = connect("peer", "peer", GUEST_PASSWORD, "verify-full"); Statement st = guest.createStatement()) {
            st.execute("CREATE TABLE realm (id int PRIMARY KEY)"); // its own migrations, as Keycloak runs them
            ResultSet rs = st.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(1)).isTrue();
        }
    }

    @Test
    void theGuestWithoutTlsIsRefused() {
        assertThatThrownBy(() -> connect("peer", "peer", GUEST_PASSWORD, "disable").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("no encryption");
    }

    @Test
    void theGuestCannotReachTheSuitesDatabasesNorTheSuiteItsOne() {
        for (String db : List.of("auth", "users", "postgres")) {
            assertThatThrownBy(() -> connect(db, "peer", GUEST_PASSWORD, "verify-full").close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("pg_hba.conf rejects connection");
        }
        assertThatThrownBy(() -> connect("peer", "auth_app", stack.secrets().secret("postgres.auth_app"), "verify-full").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("pg_hba.conf rejects connection");
    }

    @Test
    void theGuestRoleIsNotPrivileged() throws SQLException {
        try (Connection guest = connect("peer", "peer", GUEST_PASSWORD, "verify-full"); Statement st = guest.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT rolsuper OR rolcreatedb OR rolcreaterole OR rolbypassrls OR rolreplication "
                    + "FROM pg_roles WHERE rolname = 'peer'");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(1)).isFalse();
        }
    }

    @Test
    void guestLinesComeAfterTheNonTlsRejectsAndBeforeTheCatchAll() {
        String hba = "hostnossl  all all 0.0.0.0/0 reject\nhostssl auth auth_owner 127.0.0.1/32 scram-sha-256\n"
                + "host       all all 0.0.0.0/0 reject\n";
        List<String> lines = LocalPostgres.withGuests(hba, List.of(new GuestDatabase("peer", GUEST_PASSWORD))).lines().toList();
        assertThat(lines.get(0)).startsWith("hostnossl");
        assertThat(lines.subList(3, 5)).allMatch(line -> line.startsWith("hostssl    peer"));
        assertThat(lines.get(5)).startsWith("host ");
        assertThat(String.join("\n", lines)).doesNotContain(GUEST_PASSWORD);
    }

    @Test
    void aGuestCannotTakeASuiteNameNorGoWithoutAPassword() {
        for (String name : List.of("auth", "users", "postgres", "auth_app", "users_owner", "Peer", "peer; DROP")) {
            assertThatThrownBy(() -> new GuestDatabase(name, GUEST_PASSWORD)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new GuestDatabase("peer", "short")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new GuestDatabase("peer", GUEST_PASSWORD).toString()).doesNotContain(GUEST_PASSWORD);
    }

    private static String generated() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().encodeToString(bytes);
    }

    private static Connection connect(String db, String role, String password, String sslMode) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", role);
        props.setProperty("password", password);
        props.setProperty("sslmode", sslMode);
        props.setProperty("sslrootcert", stack.secrets().tls().caCert().toString());
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + stack.postgres().port() + "/" + db, props);
    }
}

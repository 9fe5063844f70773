package dev.suite.users.vault;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.suite.fixtures.TestServices;
import dev.suite.fixtures.RealVault;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;

/**
 * The %prod configuration against the local stack's real OpenBao ({@link RealVault}), the real auth service and the
 * real embedded PostgreSQL and Redis: the database credentials (a short-lived member of users_app), the Redis password
 * and the client secret for the auth service all come from Vault (no property of the local stack hands this profile a
 * secret), and leases are renewed.
 */
@QuarkusTest
@QuarkusTestResource(TestServices.class)
@TestProfile(VaultProfile.class)
class VaultProfileTest {

    /** Health is on the management port only (application.properties). */
    @TestHTTPResource(value = "health/ready", management = true, tls = true) // %prod: the management port speaks TLS
    URL ready;

    static final String CREDS = "read database/creds/users-app -> ok";
    static final String RENEWAL = "update sys/leases/renew -> ok";

    @Inject
    Pool database;

    @Test
    void servesProfilesAndDeletesAccountsWithSecretsFromVault() {
        given().get(ready).then().statusCode(200)
                .body("checks.name", hasItems("Redis connection health check", "Reactive PostgreSQL connections health check", "Database schema"))
                .body("status", equalTo("UP"));
        String authUrl = ConfigProvider.getConfig().getValue("suite.auth.url", String.class);
        String email = "vault-" + UUID.randomUUID() + "@example.com";
        Map<String, String> account = Map.of("email", email, "password", "quiet-harbour-lantern-77", "displayName", "Vault");
        given().baseUri(authUrl).contentType(ContentType.JSON).body(account).post("/register").then().statusCode(202);
        JsonPath login = given().baseUri(authUrl).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", account.get("password"))).post("/login").then().statusCode(200).extract().jsonPath();
        String token = login.getString("accessToken");
        // Verified against the auth service's JWKS (suite.auth.url), stored as users_app with Vault's credentials.
        given().auth().oauth2(token).get("/users/me").then().statusCode(200).body("displayName", equalTo("Vault"));
        // Deletion calls the auth service with a service token got with the client secret from Vault.
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("currentPassword", account.get("password")))
                .delete("/users/me").then().statusCode(204);
        given().baseUri(authUrl).contentType(ContentType.JSON).body(Map.of("email", email, "password", account.get("password")))
                .post("/login").then().statusCode(401);

        // AppRole login under the service's own role, its own KV path, every read answered, nothing refused by a policy.
        assertThat(RealVault.requests("user-service")).contains("update auth/approle/login -> ok", "read secret/data/suite/user-service -> ok")
                .noneMatch(request -> request.contains("permission denied"))
                .filteredOn(request -> request.startsWith("read ")).allSatisfy(request -> assertThat(request).endsWith("-> ok"));
    }

    @Test
    void connectsAsVaultsShortLivedUserAndRenewsTheLease() throws Exception {
        assertThat(appUser(database.query("SELECT current_user, pg_has_role(current_user, 'users_app', 'MEMBER')").execute()
                .await().indefinitely().iterator().next())).startsWith("v-approle-users-ap"); // Vault shortens the role name to fit PostgreSQL's 63 characters
        assertThat(RealVault.requests("user-service")).contains(CREDS);
        openANewConnection(); // the lease is now fresh (renewed or new)
        // Leases last 10 s and are renewed in their last 8 s: the next new connection renews, and keeps the user.
        Thread.sleep(2_500);
        long created = count(CREDS);
        long renewed = count(RENEWAL);
        openANewConnection();
        assertThat(count(RENEWAL)).isGreaterThan(renewed);
        assertThat(count(CREDS)).isEqualTo(created);
    }

    private static long count(String request) {
        return RealVault.requests("user-service").stream().filter(request::equals).count();
    }

    /** The user of a row of (current_user, member of the app role): a short-lived member of users_app, never users_app. */
    private static String appUser(Row row) {
        assertThat(row.getBoolean(1)).as(row.getString(0) + " is a member of users_app").isTrue();
        assertThat(row.getString(0)).isNotEqualTo("users_app");
        return row.getString(0);
    }

    /** Holds one connection more than the pool has, so the pool must open one (and ask for credentials). */
    private void openANewConnection() {
        List<SqlConnection> held = new ArrayList<>();
        try {
            for (int i = 0, n = database.size() + 1; i < n; i++) {
                SqlConnection connection = database.getConnection().await().indefinitely();
                held.add(connection);
                appUser(connection.query("SELECT current_user, pg_has_role(current_user, 'users_app', 'MEMBER')").execute()
                        .await().indefinitely().iterator().next());
            }
        } finally {
            held.forEach(SqlConnection::closeAndAwait);
        }
    }
}

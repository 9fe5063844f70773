package dev.suite.users.vault;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
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

import com.github.tomakehurst.wiremock.client.WireMock;

import dev.suite.fixtures.TestServices;
import dev.suite.fixtures.VaultStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;

/**
 * The %prod configuration against Vault's API (a stand-in, {@link VaultStub}), the real auth service and the real
 * embedded PostgreSQL and Redis: the database credentials, the Redis password and the client secret for the auth
 * service all come from Vault (no property of the local stack hands this profile a secret), and leases are renewed.
 */
@QuarkusTest
@QuarkusTestResource(TestServices.class)
@TestProfile(VaultProfile.class)
class VaultProfileTest {

    /** Health is on the management port only (application.properties). */
    @TestHTTPResource(value = "health/ready", management = true)
    URL ready;

    static final String CREDS = "/v1/database/creds/users-app";

    @Inject
    Pool database;

    final WireMock vault = new WireMock("127.0.0.1", Integer.getInteger(VaultStub.PORT));

    @Test
    void servesProfilesAndDeletesAccountsWithSecretsFromVault() {
        given().get(ready).then().statusCode(200)
                .body("checks.name", hasItems("Redis connection health check", "Reactive PostgreSQL connections health check"))
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

        // Kubernetes login under the service's own role, and no request Vault would refuse.
        vault.verifyThat(postRequestedFor(urlEqualTo("/v1/auth/kubernetes/login"))
                .withRequestBody(WireMock.matchingJsonPath("$.role", WireMock.equalTo("user-service"))));
        assertThat(vault.getServeEvents()).allSatisfy(event -> assertThat(event.getResponse().getStatus())
                .as(event.getRequest().getMethod() + " " + event.getRequest().getUrl()).isEqualTo(200));
        assertThat(vault.find(getRequestedFor(urlEqualTo("/v1/secret/data/suite/user-service")))).isNotEmpty();
    }

    @Test
    void connectsWithVaultsDatabaseCredentialsAndRenewsTheLease() throws Exception {
        assertThat(database.query("SELECT current_user").execute().await().indefinitely().iterator().next().getString(0))
                .isEqualTo("users_app");
        assertThat(vault.find(getRequestedFor(urlEqualTo(CREDS)))).isNotEmpty();
        openANewConnection(); // the lease is now fresh (renewed or new)
        // Leases last 10 s and are renewed in their last 8 s: the next new connection renews, and keeps the user.
        Thread.sleep(2_500);
        int created = vault.find(getRequestedFor(urlEqualTo(CREDS))).size();
        int renewed = vault.find(postRequestedFor(urlEqualTo("/v1/sys/leases/renew"))).size();
        openANewConnection();
        assertThat(vault.find(postRequestedFor(urlEqualTo("/v1/sys/leases/renew"))).size()).isGreaterThan(renewed);
        assertThat(vault.find(getRequestedFor(urlEqualTo(CREDS)))).hasSize(created);
    }

    /** Holds one connection more than the pool has, so the pool must open one (and ask for credentials). */
    private void openANewConnection() {
        List<SqlConnection> held = new ArrayList<>();
        try {
            for (int i = 0, n = database.size() + 1; i < n; i++) {
                SqlConnection connection = database.getConnection().await().indefinitely();
                held.add(connection);
                assertThat(connection.query("SELECT current_user").execute().await().indefinitely().iterator().next().getString(0))
                        .isEqualTo("users_app");
            }
        } finally {
            held.forEach(SqlConnection::closeAndAwait);
        }
    }
}
